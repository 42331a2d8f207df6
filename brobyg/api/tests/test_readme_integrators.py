"""The README's "For integrators" commands, run as written with curl against a live server."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django_scopes import scopes_disabled

from brobyg.api.tests.helpers import make_api_client
from brobyg.intake.models import SupportRequest

SECTION = "## For integrators"
BLOCK = re.compile(r"^ *```sh integrators\n(?P<body>.*?)^ *```$", re.S | re.M)


def integrator_commands() -> str:
    text = (Path(settings.BASE_DIR) / "README.md").read_text()
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    blocks = [match["body"] for match in BLOCK.finditer(text[start:end])]
    assert len(blocks) == 2, "the section has a token block and a first-call block"
    return "\n".join(blocks)


@pytest.mark.django_db(transaction=True)
def test_the_readmes_curl_examples_work(live_server, personas):
    _api_client, client_id, secret = make_api_client(
        personas.org_a, ["referrer"], actor=personas.alice, name="Nexus"
    )
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", integrator_commands()],
        env={
            "PATH": "/usr/bin:/bin",
            "BROBYG_URL": live_server.url,
            "CLIENT_ID": client_id,
            "CLIENT_SECRET": secret,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert personas.programme_a.name in result.stdout
    with scopes_disabled():
        support_request = SupportRequest.objects.get()
    assert support_request.source == "staff_referral"
    assert result.stdout.count(str(support_request.public_id)) == 2  # created, then listed
