"""Demo text messages in Københavns Kommune. The receipts of the demo's requests from citizens
with only a phone number are texted by intake itself (to the seed's quiet backend); beside them,
one text the provider refused for good and one waiting to be tried again, so the coordinator's
overview shows what a failure looks like."""

from datetime import timedelta

from brobyg.lib import crypto
from brobyg.people.models import Citizen
from brobyg.sms.models import TextKind, TextMessage, TextStatus
from brobyg.sms.services import msisdn


def seed(context) -> None:
    kk = context.organisations["Københavns Kommune"]
    citizens = list(
        Citizen.objects.filter(organisation=kk, email="").exclude(phone="").order_by("pk")[:2]
    )
    if len(citizens) < 2:
        return
    refused, waiting = citizens
    TextMessage.objects.create(
        organisation=kk,
        citizen=refused,
        kind=TextKind.QUESTIONNAIRE,
        msisdn=msisdn(refused.phone),
        status=TextStatus.FAILED,
        attempts=1,
        error="http_400",
    )
    TextMessage.objects.create(
        organisation=kk,
        citizen=waiting,
        kind=TextKind.REMINDER,
        msisdn=msisdn(waiting.phone),
        text_encrypted=crypto.encrypt("Demo: en påmindelse, der venter på at blive sendt."),
        status=TextStatus.RETRYING,
        attempts=2,
        error="unreachable",
        next_attempt_at=context.now + timedelta(minutes=4),
    )
