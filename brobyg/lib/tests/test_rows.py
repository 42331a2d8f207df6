"""A page's rows get the same links and labels as ``reverse`` and ``get_FOO_display`` give."""

import uuid

from django.urls import reverse
from django.utils import translation

from brobyg.lib.rows import choice_label_map, public_id_url
from brobyg.support.models import CourseStatus


def test_it_builds_the_same_link_as_reverse():
    public_id = uuid.uuid4()
    assert public_id_url("peercare_peer")(public_id) == reverse("peercare_peer", args=[public_id])
    assert public_id_url("groups_detail")(str(public_id)) == reverse(
        "groups_detail", args=[public_id]
    )


def test_it_labels_in_the_active_language():
    with translation.override("da"):
        assert choice_label_map(CourseStatus)["paused"] == "På pause"
    with translation.override("en"):
        assert choice_label_map(CourseStatus.choices)["paused"] == "Paused"
