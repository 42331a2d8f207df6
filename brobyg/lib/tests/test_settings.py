"""Settings come from the environment and fail loudly; production settings pass check --deploy."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from brobyg.lib.env import env_bool, env_choice, env_int, env_list

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION_ENV = {
    "BROBYG_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "brobyg.example.dk",
    "DATABASE_URL": "sqlite:///:memory:",
    "EMAIL_HOST": "smtp.example.dk",
    "BROBYG_FIELD_ENCRYPTION_KEYS": "8mG0hFQ5o2mY6xJ0mJ9Kx1d2V5n4b3c2a1Z0y9X8w7U=",
}


@pytest.mark.parametrize("value", ["ture", "2", "maybe"])
def test_it_refuses_a_malformed_boolean(monkeypatch, value):
    monkeypatch.setenv("DEBUG", value)
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG", False)


def test_it_reads_well_formed_values(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    monkeypatch.setenv("NUMBER", " 42 ")
    monkeypatch.setenv("HOSTS", "a.dk, b.dk,,")
    assert env_bool("FLAG", False) is True
    assert env_int("NUMBER", 1) == 42
    assert env_list("HOSTS", []) == ["a.dk", "b.dk"]
    assert env_int("UNSET_NUMBER", 7) == 7


def test_it_refuses_malformed_numbers_and_choices(monkeypatch):
    monkeypatch.setenv("NUMBER", "six")
    with pytest.raises(ImproperlyConfigured, match="NUMBER"):
        env_int("NUMBER", 1)
    monkeypatch.setenv("NUMBER", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("NUMBER", 1, minimum=1)
    monkeypatch.setenv("MODE", "staging")
    with pytest.raises(ImproperlyConfigured, match="MODE"):
        env_choice("MODE", ("development", "production"), "development")


def _manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BROBYG_", "DJANGO_"))}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def check_refused(*args, **env) -> str:
    """``manage.py check`` with ``env`` stops; returns what it wrote to stderr."""
    result = _manage("check", *args, **env)
    assert result.returncode != 0
    return result.stderr


def shell_output(code: str, **env) -> str:
    """``manage.py shell -c code`` with ``env`` succeeds; returns all it printed."""
    result = _manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout + result.stderr


def test_it_stops_at_start_up_on_a_malformed_variable():
    assert "BROBYG_LOCKOUT_FAILURES" in check_refused(BROBYG_LOCKOUT_FAILURES="five")


def test_it_requires_the_secrets_in_production():
    assert "SECRET_KEY" in check_refused(BROBYG_ENV="production")


def test_it_passes_check_deploy_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout


def test_it_refuses_demo_mode_in_check_deploy():
    assert "brobyg.E001" in check_refused("--deploy", BROBYG_DEMO_MODE="1")


def test_it_refuses_a_malformed_encryption_key_in_production():
    assert "BROBYG_FIELD_ENCRYPTION_KEYS" in check_refused(
        **{**PRODUCTION_ENV, "BROBYG_FIELD_ENCRYPTION_KEYS": "not-a-key"}
    )


def test_it_refuses_demo_mode_in_production():
    assert "BROBYG_DEMO_MODE" in check_refused(**PRODUCTION_ENV, BROBYG_DEMO_MODE="1")


def test_with_an_e_mail_folder_each_e_mail_is_a_file_not_console_output(tmp_path):
    send = (
        "from django.core.mail import send_mail; "
        "send_mail('Invitation', 'Secret link body', 'a@brobyg.demo', ['b@brobyg.demo'])"
    )
    assert "Secret link body" not in shell_output(send, BROBYG_EMAIL_DIR=str(tmp_path))
    [written] = tmp_path.iterdir()
    assert "Secret link body" in written.read_text()
