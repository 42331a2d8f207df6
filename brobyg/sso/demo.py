"""Demo single sign-on: Helsingør Kommune logs its staff in through an OpenID Connect provider.

``make demo`` does not need that provider: the other organisations log in as before, and
Helsingør's button only answers once ``make demo-idp`` runs the test provider (npm
``oidc-provider``) on http://127.0.0.1:9400 with the accounts in ``demo_idp.json``.
"""

import json
from pathlib import Path

from brobyg.sso import services

DEMO_IDP_CONFIG = Path(__file__).with_name("demo_idp.json")
DEMO_IDP_URL = "http://127.0.0.1:9400"


def seed(context) -> None:
    client = json.loads(DEMO_IDP_CONFIG.read_text())["clients"][0]
    services.provider_save(
        actor=context.users[f"admin@{context.domain}"],
        organisation=context.organisations["Helsingør Kommune"],
        data={
            "protocol": "oidc",
            "slug": client["client_id"],
            "label": "Log ind med Helsingør Kommune (demo-IdP)",
            "is_enabled": True,
            "admission": "just_in_time",
            "sso_only": False,
            "groups_claim": "groups",
            "cvr": "",
            "server_url": DEMO_IDP_URL,
            "client_id": client["client_id"],
            "use_pkce": True,
            "idp_metadata_url": "",
            "sp_entity_id": "",
            "sign_requests": True,
            "want_assertions_signed": True,
            "want_assertions_encrypted": False,
        },
        client_secret=client["client_secret"],
        mappings=[("Brobyg-koordinatorer", "coordinator"), ("Brobyg-peers", "peer")],
    )
