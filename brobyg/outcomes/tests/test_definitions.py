"""Definitions are data: loaded by a command, versioned, checked; licensed texts come as packs."""

import io

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from brobyg.outcomes import selectors
from brobyg.outcomes.definitions import (
    DefinitionError,
    parse_definition,
    read_yaml,
    shipped_files,
)
from brobyg.outcomes.loading import instrument_load, pack_load
from brobyg.outcomes.models import Instrument, InstrumentPack
from brobyg.outcomes.tests.helpers import definition, pack_data
from brobyg.test import in_org


@pytest.mark.parametrize("path", shipped_files(), ids=lambda path: path.stem)
def test_it_keeps_licensed_texts_out_of_the_repository(path):
    data, _digest = read_yaml(path)
    spec = parse_definition(data)
    assert spec.code == path.stem
    assert set(spec.languages) == {"da", "en"}
    if not spec.texts_included:
        assert all(not item.text for item in spec.items)
        assert all(not scale.labels for scale in spec.scales.values())
    else:
        assert all(item.text["da"] and item.text["en"] for item in spec.items)
    if spec.code.startswith(("brobyg-", "peer-", "staff-", "group-")):
        assert not spec.validated, "project-authored questionnaires are not validated"


def test_the_command_loads_every_definition_once(db):
    out = io.StringIO()
    call_command("load_instruments", stdout=out)
    call_command("load_instruments", stdout=out)
    assert Instrument.objects.count() == len(shipped_files())
    assert "who-5 1998: created" in out.getvalue()
    assert "who-5 1998: unchanged" in out.getvalue()
    # As stored (JSON turns the scale values into strings), every definition still reads.
    for instrument in Instrument.objects.all():
        assert instrument.spec.items


def test_a_changed_definition_needs_a_new_version(instruments):
    data, _digest = read_yaml(shipped_files()[0])
    with pytest.raises(DefinitionError, match="new version"):
        instrument_load(data=data, digest="0" * 64)
    data["version"] = "99"
    new, status = instrument_load(data=data, digest="1" * 64)
    assert status == "created"
    assert selectors.current_instrument(new.code) == new
    assert Instrument.objects.filter(code=new.code, is_current=False).count() == 1


def test_it_lists_every_fault_of_a_definition():
    data = yaml.safe_load(
        """
        code: Bad Code
        version: 1
        respondent: robot
        languages: [da, en]
        licence: {texts_included: true}
        scales: {s: {min: 0, max: 2, labels: {0: {da: a, en: a}}}}
        items:
          - {id: a, scale: s, text: {da: x}}
          - {id: a, scale: nope, text: {da: x, en: y}}
        scoring: {method: median, range: [0, 4]}
        """
    )
    with pytest.raises(DefinitionError) as failure:
        parse_definition(data)
    problems = "\n".join(failure.value.problems)
    for expected in (
        "code",
        "version",
        "respondent",
        "label for every value",
        "in 'en' is missing",
        "name one of the scales",
        "ids used twice",
        "method",
        "title",
    ):
        assert expected in problems


def test_a_pack_is_checked_against_its_definition(instruments, personas):
    spec = definition("qpr-15")
    broken = pack_data("qpr-15")
    del broken["items"]["q7"]
    broken["items"]["q99"] = {"da": "x", "en": "y"}
    broken["items"]["q1"] = {"da": "kun dansk"}
    del broken["labels"]["agree"][4]
    with in_org(personas.org_a), pytest.raises(DefinitionError) as failure:
        pack_load(organisation=personas.org_a, data=broken)
    problems = "\n".join(failure.value.problems)
    assert "'q7' is missing" in problems
    assert "q99" in problems
    assert "item 'q1': the text in 'en' is missing" in problems
    assert "scale 'agree' needs a label for every value from 0 to 4" in problems
    with in_org(personas.org_a):
        assert not InstrumentPack.objects.exists()
    assert len(spec.items) == 15


def test_a_pack_needs_the_whole_conversion_table_for_swemwbs(instruments, personas):
    data = pack_data("swemwbs")
    del data["conversion_table"][20]
    with (
        in_org(personas.org_a),
        pytest.raises(DefinitionError, match="every raw total from 7 to 35"),
    ):
        pack_load(organisation=personas.org_a, data=data)


def test_a_pack_is_for_its_organisation_only(instruments, personas):
    qpr = instruments["qpr-15"]
    with in_org(personas.org_a):
        assert not selectors.instrument_texts(qpr, personas.org_a).available
        pack_load(organisation=personas.org_a, data=pack_data("qpr-15"))
        texts_a = selectors.instrument_texts(qpr, personas.org_a)
    with in_org(personas.org_b):
        texts_b = selectors.instrument_texts(qpr, personas.org_b)
    assert texts_a.available and texts_a.item_text("q3", "en") == "q3 text (en)"
    assert texts_a.label("agree", 4, "da") == "4 (da)"
    assert not texts_b.available and texts_b.item_text("q3", "en") == ""


def test_the_pack_command_names_every_fault_and_loads_a_good_pack(instruments, personas, tmp_path):
    bad = tmp_path / "bad.yaml"
    data = pack_data("brief-inspire-o")
    data["items"].pop("b5")
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError, match="'b5' is missing"):
        call_command("load_instrument_pack", str(bad), organisation=str(personas.org_a.public_id))
    good = tmp_path / "good.yaml"
    data = pack_data("brief-inspire-o", organisation=personas.org_a.name)
    good.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = io.StringIO()
    call_command("load_instrument_pack", str(good), stdout=out)
    assert "Loaded the texts of brief-inspire-o 1 for Testkommune" in out.getvalue()
    with in_org(personas.org_a):
        assert InstrumentPack.objects.get().organisation == personas.org_a


def test_a_pack_is_refused_for_an_instrument_that_ships_its_texts(instruments, personas):
    with in_org(personas.org_a), pytest.raises(DefinitionError, match="ships its texts"):
        pack_load(
            organisation=personas.org_a,
            data={"instrument": "who-5", "version": "1998", "licence": "x", "items": {}},
        )
