"""An explanation's points are shown as the template used to write them, now built in Python."""

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from brobyg.matching.explain import explanation_lines

# What matching/_explanation.html wrote before the lines carried their points as shown.
BEFORE = Template(
    "{% load i18n %}{% for line in lines %}"
    "{% if line.positive %}+{{ line.points|floatformat:0 }}"
    "{% elif line.points < 0 %}\u2212{{ line.points|floatformat:0|cut:'-' }}"
    "{% else %}0{% endif %}"
    "|{% blocktranslate with points=line.points|floatformat:0 %}"
    "{{ points }} of 100 points{% endblocktranslate %};"
    "{% endfor %}"
)
LINES = [
    {"criterion": "caution", "met": 0, "points": points, "items": ["asked_for_break"]}
    for points in (-15.0, -0.4, -0.5, -2.6, 0.0, 0.4)
] + [
    {"criterion": "caution", "met": 1, "points": points, "items": []}
    for points in (12.0, 12.5, 0.4, 1234.4, 99.99)
]


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_points_are_shown_and_read_aloud_as_before(language):
    with translation.override(language):
        lines = explanation_lines(LINES)
        expected = BEFORE.render(Context({"lines": lines}))
        assert "".join(f"{line['shown']}|{line['read_aloud']};" for line in lines) == expected
        html = render_to_string("matching/_explanation.html", {"lines": lines})
    assert html.count('class="explanation__points"') == len(LINES)
    assert ">+13<" in html and ">\u221215<" in html
