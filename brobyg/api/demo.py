"""Demo API clients: the municipality's case system, which refers citizens (its secret was
rotated once, so the client page shows a retired and a current secret), and the region's data
warehouse as an evaluator. Their secrets are not kept: an admin adds a new one to try the API."""

from datetime import timedelta

from brobyg.api import services

CLIENTS = [
    ("Københavns Kommune", "Nexus (kommunens omsorgssystem)", ["referrer"], True),
    ("Region Hovedstaden", "Regionens datavarehus", ["evaluator"], False),
]


def seed(context) -> None:
    admin = context.users[f"admin@{context.domain}"]
    for org_name, name, roles, rotated in CLIENTS:
        api_client, first, _secret = services.api_client_create(
            actor=admin,
            organisation=context.organisations[org_name],
            name=name,
            roles=roles,
            expires_on=context.today + timedelta(days=180),
        )
        if rotated:
            services.api_credential_add(actor=admin, api_client=api_client)
            services.api_credential_retire(actor=admin, credential=first)
