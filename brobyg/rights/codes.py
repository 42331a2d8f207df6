"""One-time codes that open a citizen's data page, sent to their e-mail address or, for a mobile
number, as a text message.

Only digests are stored; the code is in the e-mail and nowhere else (not in the audit log, the
application log or a URL). A visitor's address is limited in how many codes it may ask for, and
an address in how many it receives; the answer to the visitor is the same in every case.

``code_steps`` is the one page flow every citizen page behind a code uses (the data page, the
messages on a new device): ask for a code, enter it, and once it is right hand the citizens it
opens to the caller. Its start template includes ``rights/_code_steps.html``.
"""

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from brobyg.audit.services import client_ip
from brobyg.lib import crypto
from brobyg.lib.mail import send_templated_mail
from brobyg.people.models import Citizen
from brobyg.rights.forms_citizen import AddressForm, CodeForm
from brobyg.rights.models import AccessCode
from brobyg.sms.models import TextKind
from brobyg.sms.services import msisdn, render_text, send_text

CODE_MINUTES = 15
MAX_ATTEMPTS = 5
CODES_PER_ADDRESS_PER_HOUR = 3
REQUESTS_PER_VISITOR = (10, 3600)  # codes asked for per visitor address, per so many seconds


def _normalise(address: str) -> str:
    """An e-mail address in lower case, or a phone number as the SMS provider takes it."""
    address = address.strip()
    return address.lower() if "@" in address else msisdn(address)


def _code_digest(access_code_id, code: str) -> str:
    return crypto.digest(f"{access_code_id}:{code}")


def _visitor_key(request) -> str:
    address = client_ip(request) or "unknown"
    return "rights-codes:" + hashlib.sha256(address.encode()).hexdigest()


def visitor_over_limit(request) -> bool:
    return cache.get(_visitor_key(request), 0) >= REQUESTS_PER_VISITOR[0]


def _count_visitor(request) -> None:
    key = _visitor_key(request)
    cache.add(key, 0, timeout=REQUESTS_PER_VISITOR[1])
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=REQUESTS_PER_VISITOR[1])


def citizens_with_address(address: str) -> list[Citizen]:
    """Every organisation's current record with this e-mail address or phone number (numbers are
    stored as typed, "20 30 40 50" or "+45 2030 4050": compared as the provider takes them)."""
    normalised = _normalise(address)
    if not normalised:
        return []
    with scopes_disabled():
        current = Citizen.objects.filter(merged_into__isnull=True).select_related("organisation")
        if "@" in normalised:
            return list(current.filter(email__iexact=normalised))
        candidates = current.filter(phone__contains=normalised[-2:])
        return [citizen for citizen in candidates if msisdn(citizen.phone) == normalised]


def _send(citizen: Citizen, address: str, code: str, access_code: AccessCode) -> None:
    context = {"code": code, "minutes": CODE_MINUTES}
    if "@" in address:
        send_templated_mail(
            "rights/email/access_code",
            context,
            [citizen.email],
            what="Access code",
            about=access_code,
        )
        return
    send_text(
        organisation=citizen.organisation,
        phone=citizen.phone,
        text=render_text("sms/code", context, language=translation.get_language() or "da"),
        kind=TextKind.CODE,
        citizen=citizen,
    )


@transaction.atomic
def access_code_request(*, address: str, request) -> AccessCode:
    """Make a code for ``address`` and send it there (an e-mail, or a text to a mobile number)
    when a citizen has that address (and the address has not had too many codes lately). The
    caller answers the same either way."""
    _count_visitor(request)
    now = timezone.now()
    address_digest = crypto.digest(_normalise(address))
    recent = AccessCode.objects.filter(
        address_digest=address_digest, created_at__gte=now - timedelta(hours=1)
    ).count()
    access_code = AccessCode(
        address_digest=address_digest,
        code_digest="",
        created_at=now,
        expires_at=now + timedelta(minutes=CODE_MINUTES),
    )
    access_code.save()
    code = f"{secrets.randbelow(10**6):06d}"
    AccessCode.objects.filter(pk=access_code.pk).update(
        code_digest=_code_digest(access_code.public_id, code)
    )
    citizens = citizens_with_address(address)
    if citizens and recent < CODES_PER_ADDRESS_PER_HOUR:
        transaction.on_commit(lambda: _send(citizens[0], address, code, access_code))
    return access_code


@transaction.atomic
def access_code_use(*, access_code_id, address: str, code: str) -> list[Citizen] | None:
    """The citizens the code opens, or None (wrong, expired, used up or for another address).
    A right code is used up; every try counts against the code's few attempts."""
    now = timezone.now()
    access_code = AccessCode.objects.select_for_update().filter(public_id=access_code_id).first()
    if (
        access_code is None
        or access_code.used_at is not None
        or access_code.expires_at <= now
        or access_code.attempts >= MAX_ATTEMPTS
    ):
        return None
    AccessCode.objects.filter(pk=access_code.pk).update(attempts=F("attempts") + 1)
    right = secrets.compare_digest(
        access_code.code_digest, _code_digest(access_code.public_id, code.strip())
    ) and secrets.compare_digest(access_code.address_digest, crypto.digest(_normalise(address)))
    if not right:
        return None
    AccessCode.objects.filter(pk=access_code.pk).update(used_at=now)
    return citizens_with_address(address) or None


def start_page(
    request, template: str, *, address_form=None, code_form=None, status: int = 200
) -> HttpResponse:
    """A code page's start: the address form, or (``code_form``) the form for the code sent."""
    return render(
        request,
        template,
        {
            "address_form": address_form or AddressForm(),
            "code_form": code_form,
            "minutes": CODE_MINUTES,
        },
        status=status,
    )


def code_steps(
    request,
    *,
    template: str,
    pending_key: str,
    on_open: Callable[[list[Citizen]], None],
) -> HttpResponse:
    """The steps of a page opened by a one-time code, for a visitor who has not opened it yet.

    POST ``step=address`` asks for a code (the visitor's budget first) and keeps the pending code
    in the session under ``pending_key``; POST ``step=code`` checks the code. A right code
    renews the session's key, calls ``on_open(citizens)`` (the caller keeps what it opens in the
    session) and redirects to the same page; anything else renders ``template`` (see
    ``start_page``) with the form's errors."""
    step = request.POST.get("step", "") if request.method == "POST" else ""
    if step == "address":
        form = AddressForm(request.POST)
        if not form.is_valid():
            return start_page(request, template, address_form=form)
        if visitor_over_limit(request):
            form.add_error(None, _("Too many codes were asked for from here. Try again later."))
            return start_page(request, template, address_form=form, status=429)
        address = form.cleaned_data["address"]
        access_code = access_code_request(address=address, request=request)
        request.session[pending_key] = {"code": str(access_code.public_id), "address": address}
        return start_page(request, template, code_form=CodeForm())
    if step == "code":
        pending = request.session.get(pending_key) or {}
        form = CodeForm(request.POST)
        if form.is_valid() and pending:
            citizens = access_code_use(
                access_code_id=pending["code"],
                address=pending["address"],
                code=form.cleaned_data["code"],
            )
            if citizens:
                request.session.pop(pending_key, None)
                request.session.cycle_key()
                on_open(citizens)
                return redirect(request.path)
        if form.is_valid():
            form.add_error(
                "code", _("The code is wrong, used or too old. Check it, or ask for a new one.")
            )
        return start_page(request, template, code_form=form)
    return start_page(request, template)
