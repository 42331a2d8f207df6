"""A real SAML 2.0 identity provider (pysaml2's IdP) for the end-to-end tests, as its own process.

Started by the tests with the port and a directory for its key pair:
``python saml_idp.py PORT DIR``. It prints READY when it listens. Endpoints:

- ``GET /metadata``: its metadata;
- ``POST /sp``: the body is a service provider's metadata, which it trusts from then on;
- ``GET /sso/redirect?SAMLRequest=...&account=<id>&mfa=1``: the log-in step, scripted:
  answers the request as that account, as JSON (``SAMLResponse``, ``RelayState``,
  ``destination``; ``privileges=<base64>`` adds KOMBIT's privileges attribute); response and
  assertion signed unless ``sign=0`` (the assertion not with
  ``sign_assertion=0``), the assertion encrypted when the service provider's metadata has an
  encryption key (``tamper=1``: the signed assertion is altered before it is encrypted). The
  account then has a session at the provider;
- ``GET /sessions``: the accounts with a session, as JSON (``{"anna": "<SP entity id>"}``);
- ``GET /slo/redirect?SAMLRequest=...``: a service provider's LogoutRequest (which must carry
  a redirect-binding signature): ends the account's session and redirects (302) to the service
  provider's single logout service with a signed LogoutResponse. With ``SAMLResponse``
  instead: the service provider's answer to our LogoutRequest, as JSON (``{"status": ...}``);
- ``GET /logout?account=<id>``: logout begun at the provider: ends the session and answers
  JSON ``{"location": ...}``, the service provider's single logout address with a signed
  LogoutRequest.
"""

import base64
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.samlp import STATUS_SUCCESS
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

OIOSAML3 = "https://data.gov.dk/model/core/eid"
KOMBIT_PRIVILEGES = "dk:gov:saml:attribute:Privileges_intermediate"
PASSWORD_PROTECTED = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
ACCOUNTS = {
    "anna": {"email": "anna@testkommune.dk", "name": "Anna Andersen", "groups": ["koordinator"]},
    "carl": {"email": "carl@example.org", "name": "Carl Carlsen", "groups": ["koordinator"]},
}


class TestServer(Server):
    # (old, new): replaced in the signed assertion just before it is encrypted.
    tamper = None

    def _encrypt_assertion(self, encrypt_cert, sp_entity_id, response, node_xpath=None):
        if self.tamper:
            response = str(response).replace(*self.tamper)
        return super()._encrypt_assertion(encrypt_cert, sp_entity_id, response, node_xpath)


def make_server(base: str, directory: Path) -> Server:
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test IdP")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = directory / "idp.key", directory / "idp.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    config = IdPConfig()
    config.load(
        {
            "entityid": f"{base}/metadata",
            "service": {
                "idp": {
                    "endpoints": {
                        "single_sign_on_service": [(f"{base}/sso/redirect", BINDING_HTTP_REDIRECT)],
                        "single_logout_service": [(f"{base}/slo/redirect", BINDING_HTTP_REDIRECT)],
                    },
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": 5},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        }
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                }
            },
            "key_file": str(key_file),
            "cert_file": str(cert_file),
            "encryption_keypairs": [{"key_file": str(key_file), "cert_file": str(cert_file)}],
            "xmlsec_binary": "/usr/bin/xmlsec1",
            "metadata": {},
        }
    )
    return TestServer(config=config)


def main():
    port, directory = int(sys.argv[1]), Path(sys.argv[2])
    base = f"http://127.0.0.1:{port}"
    server = make_server(base, directory)
    sessions = {}  # account id -> the entity id of the service provider it logged in to

    def redirect_binding(message, destination, relay_state="", response=False):
        info = server.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(message),
            destination,
            relay_state,
            response=response,
            sign=True,
            sigalg=SIG_RSA_SHA256,
        )
        return dict(info["headers"])["Location"]

    def sp_logout_url(sp):
        return server.metadata.single_logout_service(sp, BINDING_HTTP_REDIRECT, "spsso")[0][
            "location"
        ]

    def logout_request_from_sp(query):
        request = server.parse_logout_request(
            query["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=query.get("RelayState"),
            sigalg=query.get("SigAlg"),
            signature=query.get("Signature"),
        )
        if request is None or not query.get("Signature"):
            raise ValueError("the LogoutRequest is not signed")
        message = request.message
        sessions.pop(message.name_id.text, None)
        response = server.create_logout_response(message, [BINDING_HTTP_REDIRECT], sign=False)
        return redirect_binding(
            response, sp_logout_url(message.issuer.text), query.get("RelayState", ""), True
        )

    def logout_begun_here(account):
        sp = sessions.pop(account)
        _id, request = server.create_logout_request(
            sp_logout_url(sp),
            sp,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=account),
            sign=False,
        )
        return redirect_binding(request, sp_logout_url(sp))

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _send(self, status, body: bytes, content_type="application/json"):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            server.metadata.metadata.clear()  # the service provider's latest keys only
            server.metadata.load("inline", self.rfile.read(length).decode())
            self._send(204, b"")

        def do_GET(self):
            url = urlparse(self.path)
            query = {key: values[0] for key, values in parse_qs(url.query).items()}
            if url.path == "/metadata":
                body = create_metadata_string(None, server.config, sign=False)
                self._send(200, body, "application/samlmetadata+xml")
                return
            if url.path == "/sessions":
                self._send(200, json.dumps(sessions).encode())
                return
            if url.path == "/logout":
                self._send(
                    200, json.dumps({"location": logout_begun_here(query["account"])}).encode()
                )
                return
            if url.path == "/slo/redirect":
                try:
                    if "SAMLResponse" in query:
                        answer = server.parse_logout_request_response(
                            query["SAMLResponse"], BINDING_HTTP_REDIRECT
                        )
                        success = answer.response.status.status_code.value == STATUS_SUCCESS
                        self._send(
                            200, json.dumps({"status": "ok" if success else "failed"}).encode()
                        )
                        return
                    self.send_response(302)
                    self.send_header("Location", logout_request_from_sp(query))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except Exception as error:  # the test reads the reason
                    self._send(500, json.dumps({"error": repr(error)}).encode())
                return
            if url.path != "/sso/redirect":
                self._send(404, b"{}")
                return
            try:
                request = server.parse_authn_request(query["SAMLRequest"], BINDING_HTTP_REDIRECT)
                message = request.message
                sp = message.issuer.text
                account = ACCOUNTS[query["account"]]
                sign = query.get("sign", "1") == "1"
                encrypt = bool(server.metadata.certs(sp, "spsso", "encryption"))
                destination = server.metadata.assertion_consumer_service(sp, BINDING_HTTP_POST)[0][
                    "location"
                ]
                server.tamper = (
                    (account["email"], "alice@example.org") if query.get("tamper") == "1" else None
                )
                identity = {
                    f"{OIOSAML3}/email": [account["email"]],
                    f"{OIOSAML3}/fullName": [account["name"]],
                    f"{OIOSAML3}/privileges": account["groups"],
                    "https://data.gov.dk/concept/core/nsis/loa": [
                        "Substantial" if query.get("mfa") == "1" else "Low"
                    ],
                }
                if "privileges" in query:  # KOMBIT's privilege list, base64 XML
                    identity[KOMBIT_PRIVILEGES] = [query["privileges"]]
                response = server.create_authn_response(
                    identity=identity,
                    in_response_to=message.id,
                    destination=destination,
                    sp_entity_id=sp,
                    name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=query["account"]),
                    authn={"class_ref": PASSWORD_PROTECTED},
                    sign_response=sign,
                    sign_assertion=sign and query.get("sign_assertion", "1") == "1",
                    encrypt_assertion=encrypt,
                    encrypted_advice_attributes=False,
                    encrypt_assertion_self_contained=True,
                    sign_alg=SIG_RSA_SHA256,
                    digest_alg=DIGEST_SHA256,
                )
                sessions[query["account"]] = sp
                body = {
                    "SAMLResponse": base64.b64encode(str(response).encode()).decode(),
                    "RelayState": query.get("RelayState", ""),
                    "destination": destination,
                }
                self._send(200, json.dumps(body).encode())
            except Exception as error:  # the test reads the reason
                self._send(500, json.dumps({"error": repr(error)}).encode())

    httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print("READY", flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
