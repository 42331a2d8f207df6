"""Reading what an identity provider says about a person: e-mail, name, groups, assurance.

OIDC: allauth keeps ``{"id_token": {...}, "userinfo": {...}}``; SAML: the attributes, each a
list of values. Both become one flat view here. KOMBIT's privileges attribute is read as its
privilege list, for the organisation's own CVR number only (``privileges.py``).
"""

from dataclasses import dataclass

from brobyg.sso.models import (
    OIOSAML3_ASSURANCE,
    OIOSAML3_EMAIL,
    OIOSAML3_NAME,
    IdentityProvider,
    Protocol,
)
from brobyg.sso.privileges import KOMBIT_PRIVILEGES, privileges_for_cvr

# ``amr`` values (RFC 8176) that mean more than one factor was used.
MULTI_FACTOR_METHODS = frozenset({"mfa", "otp", "hwk", "sms", "sc", "fido"})
# NSIS assurance levels at or above "substantial".
SUBSTANTIAL_OR_HIGHER = ("substantial", "high")


@dataclass(frozen=True)
class Identity:
    email: str
    full_name: str
    groups: tuple[str, ...]
    multi_factor: bool


def _values(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return [str(value)]


def _first(claims: dict, *names: str) -> str:
    for name in names:
        values = _values(claims.get(name))
        if values and values[0].strip():
            return values[0].strip()
    return ""


def _assurance_is_substantial(value: str) -> bool:
    # "Substantial", "High", or the NSIS URI ".../nsis/loa/Substantial".
    return value.rsplit("/", 1)[-1].strip().lower() in SUBSTANTIAL_OR_HIGHER


def flat_claims(provider: IdentityProvider, extra_data: dict) -> dict:
    if provider.protocol == Protocol.OIDC:
        return {**(extra_data.get("id_token") or {}), **(extra_data.get("userinfo") or {})}
    return dict(extra_data)


def identity_from(provider: IdentityProvider, extra_data: dict) -> Identity:
    claims = flat_claims(provider, extra_data)
    email = _first(claims, "email", OIOSAML3_EMAIL, "preferred_username", "upn").lower()
    full_name = _first(claims, "name", OIOSAML3_NAME, "displayName") or email
    values = _values(claims.get(provider.groups_claim))
    if provider.groups_claim == KOMBIT_PRIVILEGES:
        # KOMBIT's privilege list; raises UnreadablePrivileges when it cannot be read.
        groups = privileges_for_cvr(values, provider.cvr)
    else:
        groups = tuple(sorted({value.strip() for value in values}))
    methods = {value.lower() for value in _values(claims.get("amr"))}
    levels = _values(claims.get("acr")) + _values(claims.get(OIOSAML3_ASSURANCE))
    multi_factor = bool(methods & MULTI_FACTOR_METHODS) or any(
        _assurance_is_substantial(level) for level in levels
    )
    return Identity(email=email, full_name=full_name, groups=groups, multi_factor=multi_factor)
