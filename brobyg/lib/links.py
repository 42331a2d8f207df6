"""Personal links: a random secret in the address, of which only the digest is stored (in a
field named ``token_digest``). Every link is made with ``new_link_token`` and looked up by
``token_digest``."""

import hashlib
import secrets


def new_link_token() -> str:
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
