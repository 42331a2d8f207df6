"""The Danish catalogue (locale/da/LC_MESSAGES/django.po) is complete, consistent and current.

Danish is the default language, so an English string without a Danish translation is a bug that
every user sees. After adding or changing a marked string, run ``make messages-update`` and
translate the new entries.
"""

import os
import re
import shutil
from collections import Counter
from contextlib import chdir
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.utils import is_ignored_path
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

PO_PATH = Path(settings.BASE_DIR) / "locale" / "da" / "LC_MESSAGES" / "django.po"

# The same options as `make messages-update`.
MAKEMESSAGES_IGNORE = [".venv", "staticfiles"]
# makemessages' own defaults, always applied on top of --ignore.
DEFAULT_IGNORE = ["CVS", ".*", "*~", "*.pyc"]
EXTENSIONS = {".html", ".txt", ".py"}

PYTHON_FORMAT = re.compile(
    r"%(?:\([^)]*\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]"
)
BRACE_FORMAT = re.compile(r"(?<!\{)\{[^{}]*\}(?!\})")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
NUMBER = re.compile(r"\d+")


def _catalogue() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def _live_entries(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


def _pairs(entry: polib.POEntry) -> list[tuple[str, str]]:
    """(source, translation) pairs: the singular and plural forms of a plural entry."""
    if not entry.msgid_plural:
        return [(entry.msgid, entry.msgstr)]
    forms = entry.msgstr_plural
    return [(entry.msgid if n == 0 else entry.msgid_plural, forms[n]) for n in sorted(forms)]


def _placeholders(entry: polib.POEntry, text: str) -> set[str]:
    found = set()
    if "python-format" in entry.flags:
        found.update(p for p in PYTHON_FORMAT.findall(text) if p != "%%")
    if "python-brace-format" in entry.flags:
        found.update(BRACE_FORMAT.findall(text))
    return found


def _label(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}|{entry.msgid}" if entry.msgctxt else entry.msgid


def test_it_translates_every_entry():
    po = _catalogue()
    nplurals = int(re.search(r"nplurals\s*=\s*(\d+)", po.metadata["Plural-Forms"]).group(1))
    untranslated = [_label(e) for e in po.untranslated_entries() if not e.obsolete]
    fuzzy = [_label(e) for e in po.fuzzy_entries()]
    incomplete_plurals = [
        _label(e)
        for e in _live_entries(po)
        if e.msgid_plural
        and (len(e.msgstr_plural) != nplurals or not all(e.msgstr_plural.values()))
    ]
    assert po.metadata["Language"] == "da"
    assert nplurals == 2
    assert not untranslated, f"Untranslated in {PO_PATH.name}: {untranslated}"
    assert not fuzzy, f"Fuzzy (check, then remove the flag): {fuzzy}"
    assert not incomplete_plurals, f"Plural entries missing a form: {incomplete_plurals}"


def test_it_keeps_placeholders_and_html_tags_in_every_translation():
    problems = []
    for entry in _live_entries(_catalogue()):
        for source, translated in _pairs(entry):
            if not translated:
                continue  # reported by test_it_translates_every_entry
            if _placeholders(entry, source) != _placeholders(entry, translated):
                problems.append(f"placeholders differ: {source!r} -> {translated!r}")
            if Counter(HTML_TAG.findall(source)) != Counter(HTML_TAG.findall(translated)):
                problems.append(f"HTML tags differ: {source!r} -> {translated!r}")
    assert not problems, "\n".join(problems)


def test_it_keeps_every_number_where_a_phone_number_is_linked():
    """The crisis footer: a person in crisis must get exactly the numbers the English gives."""
    entries = [e for e in _live_entries(_catalogue()) if "tel:" in e.msgid]
    assert entries, "expected the crisis footer's phone links in the catalogue"
    for entry in entries:
        for source, translated in _pairs(entry):
            assert Counter(NUMBER.findall(translated)) == Counter(NUMBER.findall(source)), (
                f"numbers differ: {source!r} -> {translated!r}"
            )


def _copy_translatable_sources(source: Path, target: Path) -> None:
    """Copy the files makemessages would read, so extraction never touches the real tree.

    (makemessages writes a preprocessed ``*.html.py`` next to every template while it works.)
    """
    patterns = MAKEMESSAGES_IGNORE + DEFAULT_IGNORE
    ignored_roots = {os.path.normpath(p) for p in (settings.STATIC_ROOT, settings.MEDIA_ROOT) if p}
    for dirpath, dirnames, filenames in os.walk(source):
        relative = Path(dirpath).relative_to(source)
        dirnames[:] = [
            d
            for d in dirnames
            if d not in ("locale", "__pycache__")
            and not is_ignored_path(os.path.normpath(relative / d), patterns)
            and os.path.join(dirpath, d) not in ignored_roots
        ]
        for filename in filenames:
            if Path(filename).suffix not in EXTENSIONS:
                continue
            if is_ignored_path(os.path.normpath(relative / filename), patterns):
                continue
            (target / relative).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(dirpath) / filename, target / relative / filename)


def _keys(po: polib.POFile) -> set[tuple[str | None, str, str]]:
    return {(e.msgctxt, e.msgid, e.msgid_plural) for e in _live_entries(po) if e.msgid}


def _describe(keys) -> str:
    return "\n".join(
        f"  {msgid!r}" + (f" (context {ctxt!r})" if ctxt else "")
        for ctxt, msgid, _plural in sorted(keys, key=lambda k: (k[1], k[0] or ""))
    )


def test_it_is_up_to_date_with_the_source(tmp_path):
    missing_tools = [tool for tool in ("xgettext", "msguniq") if shutil.which(tool) is None]
    if missing_tools:
        message = f"GNU gettext ({', '.join(missing_tools)}) is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI must check the catalogue against the source")
        pytest.skip(message)

    copy = tmp_path / "source"
    _copy_translatable_sources(Path(settings.BASE_DIR), copy)
    (copy / "locale" / "da" / "LC_MESSAGES").mkdir(parents=True)
    with override_settings(LOCALE_PATHS=[str(copy / "locale")]), chdir(copy):
        call_command(
            "makemessages",
            locale=["da"],
            ignore_patterns=MAKEMESSAGES_IGNORE,
            no_obsolete=True,
            verbosity=0,
        )
    in_source = _keys(polib.pofile(str(copy / "locale" / "da" / "LC_MESSAGES" / "django.po")))
    in_catalogue = _keys(_catalogue())

    missing, stale = in_source - in_catalogue, in_catalogue - in_source
    assert not missing and not stale, (
        f"{os.path.relpath(PO_PATH, settings.BASE_DIR)} is out of date with the source. "
        "Run `make messages-update`, then translate the new entries.\n"
        f"Marked in the source but not in the catalogue ({len(missing)}):\n{_describe(missing)}\n"
        f"In the catalogue but no longer in the source ({len(stale)}):\n{_describe(stale)}"
    )


@pytest.fixture
def compiled_catalogue(tmp_path, settings):
    """The committed .po compiled afresh, so the test never depends on a stale build artefact."""
    assert Path(settings.LOCALE_PATHS[0]) == PO_PATH.parents[2]
    locale_dir = tmp_path / "locale"
    (locale_dir / "da" / "LC_MESSAGES").mkdir(parents=True)
    _catalogue().save_as_mofile(str(locale_dir / "da" / "LC_MESSAGES" / "django.mo"))
    settings.LOCALE_PATHS = [str(locale_dir)]  # resets Django's translation caches
    return locale_dir


def test_it_renders_danish_in_danish_and_english_in_english(compiled_catalogue):
    template = Template(
        "{% load i18n %}{% translate 'Programmes' %} | "
        "{% blocktranslate count counter=n %}{{ counter }} peer{% plural %}"
        "{{ counter }} peers{% endblocktranslate %}"
    )
    with translation.override("da"):
        assert translation.gettext("Programmes") == "Indsatser"
        assert translation.gettext("Brobyg is not a crisis service.") == (
            "Brobyg er ikke et kriseberedskab."
        )
        assert template.render(Context({"n": 1})) == "Indsatser | 1 peer-støtter"
        assert template.render(Context({"n": 3})) == "Indsatser | 3 peer-støttere"
    with translation.override("en"):
        assert translation.gettext("Programmes") == "Programmes"
        assert template.render(Context({"n": 3})) == "Programmes | 3 peers"


def test_danish_pages_read_as_danish_where_a_new_user_stumbled():
    """Issue 15: English left on Danish pages, and a programme named "Peer-støtte i …" read
    "peer-støtte i Peer-støtte i …"."""
    from django.utils.translation import gettext, override, pgettext

    with override("da"):
        assert gettext("Walk-and-talk") == "Samtale på gåtur"
        assert pgettext("conversations of a course", "Sessions") == "Samtaler"
        receipt = gettext(
            "Thank you for asking for peer support in %(programme)s at %(organisation)s. "
            "A coordinator will read your request and contact you."
        ) % {"programme": "Peer-støtte i botilbud", "organisation": "Københavns Kommune"}
    assert "peer-støtte i Peer-støtte" not in receipt
    assert receipt.startswith("Tak, fordi du har spurgt om Peer-støtte i botilbud hos")


def test_the_sign_in_message_is_danish(personas):
    """allauth's own Danish says "Loggede succesfuldt ind med …"; Brobyg says welcome."""
    from django.template.loader import render_to_string
    from django.utils.translation import override

    with override("da"):
        message = render_to_string("account/messages/logged_in.txt", {"user": personas.alice})
    assert message.strip() == f"Velkommen, {personas.alice.full_name}."
