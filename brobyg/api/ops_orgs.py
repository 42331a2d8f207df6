"""Programmes and units: what the organisation offers and where (no personal data)."""

from ninja import Router

from brobyg.api.auth import client_operation
from brobyg.api.schemas import PROBLEMS, ProgrammeOut, UnitOut
from brobyg.orgs import selectors

router = Router(tags=["programmes"])


@client_operation(
    router.get,
    "/programmes",
    "view_programmes",
    response={200: list[ProgrammeOut], **PROBLEMS},
    url_name="api_v1_programme_list",
)
def programme_list(request):
    """The organisation's programmes, active and inactive."""
    programmes = selectors.programmes_for_organisation(request.org).prefetch_related("units")
    return [
        {
            "id": programme.public_id,
            "name": programme.name,
            "description": programme.description,
            "support_type": programme.support_type,
            "model": programme.model,
            "peer_role": programme.peer_role,
            "purposes": programme.purposes,
            "forms": programme.forms,
            "minimum_age": programme.minimum_age,
            "legal_basis": programme.legal_basis,
            "is_active": programme.is_active,
            "units": [unit.public_id for unit in programme.units.all()],
        }
        for programme in programmes
    ]


@client_operation(
    router.get,
    "/units",
    "view_units",
    response={200: list[UnitOut], **PROBLEMS},
    url_name="api_v1_unit_list",
)
def unit_list(request):
    """The organisation's services (units)."""
    return [
        {"id": unit.public_id, "name": unit.name, "kind": unit.kind, "is_active": unit.is_active}
        for unit in selectors.units_for_organisation(request.org)
    ]
