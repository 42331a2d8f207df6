"""Merging two citizen records must move every row that points to the duplicate: each relation
to ``Citizen`` is moved by people itself or by a merge step that says it moves that model."""

import inspect

from brobyg.people import extensions
from brobyg.people.models import Citizen
from brobyg.people.services import MERGED_HERE


def _relations_to_citizen() -> set[str]:
    return {relation.related_model._meta.label for relation in Citizen._meta.related_objects}


def test_every_relation_to_a_citizen_is_moved_by_some_merge_step():
    moved = extensions.merged_models() | set(MERGED_HERE)
    assert _relations_to_citizen() - moved == set()


def test_every_model_a_step_claims_to_move_points_to_a_citizen():
    assert extensions.merged_models() - _relations_to_citizen() == set()


def test_each_step_names_the_models_it_says_it_moves():
    for name, step in extensions.merge_steps().items():
        source = inspect.getsource(step)
        for label in extensions._MERGE_MOVES[name]:
            assert label.split(".")[1] in source, (name, label)
