"""Attachments to messages: images (JPEG, PNG) and PDF only, recognised by their first bytes
(never by the name or the browser's claimed type), at most ``MAX_ATTACHMENT_BYTES``."""

import uuid

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _

from brobyg.conversations.models import MAX_ATTACHMENT_BYTES, Attachment, AttachmentType

SIGNATURES = (
    (b"\xff\xd8\xff", AttachmentType.JPEG),
    (b"\x89PNG\r\n\x1a\n", AttachmentType.PNG),
    (b"%PDF-", AttachmentType.PDF),
)


def detect_type(head: bytes) -> str | None:
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            return kind
    return None


def read_upload(upload) -> tuple[bytes, str, str]:
    """The upload's bytes, type and a safe name; ValidationError (on ``attachment``) if it is
    too big or not an image or PDF."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            {
                "attachment": _("The file is too big: at most %(mb)s MB.")
                % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)}
            }
        )
    content = b"".join(upload.chunks())
    kind = detect_type(content[:16])
    if kind is None:
        raise ValidationError(
            {"attachment": _("Only pictures (JPEG, PNG) and PDF files can be sent.")}
        )
    name = "".join(ch for ch in (upload.name or "") if ch.isalnum() or ch in "._- ")[:100].strip()
    return content, kind, name or "fil"


def attach(message, content: bytes, kind: str, name: str) -> None:
    message.attachment_key = uuid.uuid4()
    message.attachment_name = name
    message.attachment_type = kind
    message.attachment_size = len(content)
    message.save(
        update_fields=["attachment_key", "attachment_name", "attachment_type", "attachment_size"]
    )
    Attachment.objects.create(organisation=message.organisation, message=message, content=content)


def file_response(message) -> HttpResponse:
    """The attachment's bytes with its recognised type; never rendered as a page."""
    content = bytes(Attachment.objects.get(message=message).content)
    response = HttpResponse(content, content_type=message.attachment_type)
    disposition = "attachment" if message.attachment_type == AttachmentType.PDF else "inline"
    safe = message.attachment_name.replace('"', "")
    response["Content-Disposition"] = f'{disposition}; filename="{safe}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
