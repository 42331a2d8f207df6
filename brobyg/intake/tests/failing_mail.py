"""An e-mail backend that refuses every recipient, as a real SMTP server can."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        refused = {address: (550, b"No such user") for m in email_messages for address in m.to}
        raise smtplib.SMTPRecipientsRefused(refused)
