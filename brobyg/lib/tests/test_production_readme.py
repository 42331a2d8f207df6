"""README's "Running in production" is what `.ci/production` runs; these checks catch a README
that the stage could not walk, without starting PostgreSQL."""

import importlib.util
import shlex
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands, load_command_class

ROOT = Path(settings.BASE_DIR)


def _readme_blocks():
    spec = importlib.util.spec_from_file_location(
        "readme_blocks", ROOT / ".ci" / "readme_blocks.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


blocks = _readme_blocks()
README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = blocks.SECTION


def _manage_commands(script: str) -> list[list[str]]:
    """Every `manage.py ...` invocation in a shell block, as argument lists."""
    joined = script.replace("\\\n", " ")
    found = []
    for line in joined.splitlines():
        words = shlex.split(line, comments=True)
        if "manage.py" in words:
            found.append(words[words.index("manage.py") + 1 :])
    return found


@pytest.mark.parametrize("tag", ["install", "setup", "first-admin", "backup", "restore"])
def test_every_shell_step_is_in_the_readme(tag):
    assert blocks.shell(README, tag).strip()


def test_the_setup_step_prepares_everything_production_needs():
    commands = [words[0] for words in _manage_commands(blocks.shell(README, "setup"))]
    assert commands == ["migrate", "load_instruments", "createcachetable", "collectstatic", "check"]
    assert "--deploy" in blocks.shell(README, "setup")


def test_every_manage_command_in_the_readme_exists_and_accepts_its_options():
    available = get_commands()
    units = ["brobyg-web.service", "brobyg-worker.service", "brobyg-periodic.service"]
    tags = ("setup", "first-admin", "backup", "restore", "sqlite-backup")
    scripts = [blocks.shell(README, tag) for tag in tags] + [
        blocks.unit_value(README, unit, "ExecStart") for unit in units[1:]
    ]
    invocations = [words for script in scripts for words in _manage_commands(script)]
    assert {words[0] for words in invocations} >= {
        "db_worker",
        "run_periodic_jobs",
        "verify_backup",
    }
    for name, *arguments in invocations:
        assert name in available, name
        if arguments:  # (db_worker's parser refuses the test settings' immediate backend)
            command = load_command_class(available[name], name)
            command.create_parser("manage.py", name).parse_args(arguments)


def test_the_web_service_runs_gunicorn_on_localhost():
    command = blocks.unit_value(README, "brobyg-web.service", "ExecStart")
    assert "gunicorn brobyg.wsgi" in command
    assert "--bind 127.0.0.1:8000" in command


def test_the_environment_file_sets_every_variable_production_requires():
    names = set(blocks.env_names(README))
    assert names >= {
        "BROBYG_ENV",
        "SECRET_KEY",
        "BROBYG_FIELD_ENCRYPTION_KEYS",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "SITE_URL",
        "DATABASE_URL",
        "EMAIL_HOST",
    }
    configuration = README[README.index("## Configuration") : README.index(SECTION)]
    for name in names:
        assert f"`{name}`" in configuration, f"{name} is not described under Configuration"


def test_a_missing_block_is_an_error():
    with pytest.raises(blocks.MissingBlock):
        blocks.shell(README, "no-such-step")
    with pytest.raises(blocks.MissingBlock):
        blocks.unit_value(README, "no-such.service", "ExecStart")
