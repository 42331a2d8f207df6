"""The provider's delivery reports: GatewayAPI posts one JSON report per text (``id``,
``msisdn``, ``status`` such as DELIVERED, UNDELIVERABLE, EXPIRED, REJECTED, ...) with a JWT in the
``X-Gwapi-Signature`` header, signed with the shared secret (HS256) and carrying the same report.
Only a report whose signature checks is read, and what it says is taken from the signed claims;
a body that says otherwise is refused. This is the only view exempt from CSRF: the provider has
no session, the signature is the authorisation."""

import json
import logging

import jwt
from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from brobyg.sms import services

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 16 * 1024


def _signed_claims(request, secret: str) -> dict | None:
    token = request.headers.get("X-Gwapi-Signature", "")
    if not token:
        return None
    try:
        claims = jwt.decode(
            token, secret, algorithms=["HS256"], options={"require": ["id", "status"]}
        )
    except jwt.PyJWTError:
        return None
    return claims if isinstance(claims, dict) else None


@csrf_exempt
@require_POST
def gatewayapi_delivery(request):
    secret = settings.BROBYG_GATEWAYAPI_CALLBACK_SECRET
    if not secret:
        raise Http404
    if len(request.body) > MAX_BODY_BYTES:
        return HttpResponseBadRequest()
    claims = _signed_claims(request, secret)
    if claims is None:
        logger.warning("A delivery report without a valid signature was refused.")
        return HttpResponseForbidden()
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return HttpResponseBadRequest()
    if not isinstance(body, dict) or any(
        key in body and str(body[key]) != str(claims.get(key)) for key in ("id", "msisdn", "status")
    ):
        logger.warning("A delivery report whose body differs from its signed claims was refused.")
        return HttpResponseForbidden()
    services.delivery_report_record(
        provider_id=str(claims["id"]),
        msisdn=str(claims.get("msisdn", "")),
        report=str(claims["status"]),
    )
    # Known or not, the report is answered 200, so the provider does not send it again.
    return HttpResponse(status=200)
