"""A real OpenID Connect provider (npm ``oidc-provider`` on Node.js), started once per test
session on a free localhost port. ``make test-idps`` installs it into var/test-idps; this fixture
runs that when it is missing and skips, saying why, when Node.js is not there."""

import fcntl
import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings

IDP_DIR = Path(settings.BASE_DIR) / "var" / "test-idps"
SOURCE_DIR = Path(__file__).parent / "idp"

# Who the provider knows: the id is what the test logs in as.
ACCOUNTS = {
    "anna": {
        "email": "anna@testkommune.dk",
        "name": "Anna Andersen",
        "groups": ["brobyg-koordinatorer"],
    },
    "peter": {"email": "peter@testkommune.dk", "name": "Peter Holm", "groups": ["kantine"]},
    # Carl is organisation B's coordinator; organisation A's provider vouches for his address.
    "carl": {
        "email": "carl@example.org",
        "name": "Carl Carlsen",
        "groups": ["brobyg-koordinatorer"],
    },
}
CLIENTS = ("testkommune", "frivilligcenter")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_idp():
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js and npm are not installed: the OIDC end-to-end tests need them")
    IDP_DIR.mkdir(parents=True, exist_ok=True)
    # Parallel workers install once: the first takes the lock, the others wait and find it done.
    with open(IDP_DIR.parent / "test-idps.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (IDP_DIR / "node_modules" / "oidc-provider").is_dir():
            subprocess.run(["make", "test-idps"], cwd=settings.BASE_DIR, check=True)
        shutil.copy(SOURCE_DIR / "oidc_idp.mjs", IDP_DIR / "oidc_idp.mjs")
    port = _free_port()
    clients = [
        {
            "client_id": slug,
            "client_secret": f"{slug}-hemmelighed",
            "redirect_uris": [f"http://testserver/accounts/oidc/{slug}/login/callback/"],
            "post_logout_redirect_uris": ["http://testserver/accounts/login/"],
            "token_endpoint_auth_method": "client_secret_post",
        }
        for slug in CLIENTS
    ]
    config = json.dumps({"clients": clients, "accounts": ACCOUNTS})
    process = subprocess.Popen(
        ["node", str(IDP_DIR / "oidc_idp.mjs")],
        env={**os.environ, "IDP_PORT": str(port), "IDP_CONFIG": config},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    if process.stdout.readline().strip() != "READY":
        process.kill()
        pytest.fail(f"The test OIDC provider did not start: {process.stderr.read()[:2000]}")
    try:
        yield SimpleNamespace(url=f"http://127.0.0.1:{port}", port=port)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def saml_idp(tmp_path_factory):
    """pysaml2's identity provider (``idp/saml_idp.py``) in its own process, once per session."""
    if shutil.which("xmlsec1") is None:
        pytest.skip("xmlsec1 is not installed: pysaml2's identity provider needs it")
    pytest.importorskip("saml2", reason="pysaml2 (a dev dependency) is not installed")
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            str(SOURCE_DIR / "saml_idp.py"),
            str(port),
            str(tmp_path_factory.mktemp("saml-idp")),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    if process.stdout.readline().strip() != "READY":
        process.kill()
        pytest.fail(f"The test SAML provider did not start: {process.stderr.read()[:2000]}")
    try:
        yield SimpleNamespace(url=f"http://127.0.0.1:{port}", port=port)
    finally:
        process.terminate()
        process.wait(timeout=10)
