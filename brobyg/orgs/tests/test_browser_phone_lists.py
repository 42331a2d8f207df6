"""On a 390 px phone the main lists of each role fit the screen: no sideways scrolling of the
page or of a table. Below 40rem a table's rows become cards, each cell labelled with its column
(static/brobyg/tables.js copies the heading into ``data-label``)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from brobyg.browser import log_in
from brobyg.support import services as support_services
from brobyg.test import make_peer, make_waiting_request

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

# The main lists of each role, as they open them from the menu.
LISTS = {
    "alice": [
        "support_course_list",
        "intake_waiting_list",
        "matching_peer_list",
        "member_list",
        "programme_list",
        "groups_list",
        "support_handover_list",
        "support_follow_up_list",
    ],
    "bob": ["support_course_list", "matching_own_matches", "groups_list"],
    "maja": ["support_course_list", "intake_waiting_list", "programme_list"],
    "rita": ["intake_referral_list"],
    "sara": ["peercare_overview"],
    "eva": ["programme_list"],
    "per": ["audit_entry_list", "rights_request_list"],
}

SIDEWAYS = """() => {
  const root = document.documentElement;
  const wide = [];
  if (root.scrollWidth > root.clientWidth) wide.push(`page ${root.scrollWidth}px`);
  for (const el of document.querySelectorAll("main *")) {
    const style = getComputedStyle(el);
    if (["auto", "scroll"].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1) {
      const name = `${el.tagName.toLowerCase()}.${el.className}`;
      wide.push(`${name} ${el.scrollWidth}>${el.clientWidth}px`);
    }
  }
  return wide;
}"""


def test_the_main_lists_of_each_role_fit_a_390_px_phone(new_page, live_site):
    personas = live_site.personas
    bob = make_peer(personas.org_a, personas.bob, [personas.programme_a])
    for number in range(3):
        support_request, _token = make_waiting_request(
            personas.programme_a, name=f"Marie-Louise Christoffersen-Abildgaard {number}"
        )
        with scopes_disabled():
            support_services.course_create(
                actor=personas.alice,
                citizen=support_request.citizen,
                programme=personas.programme_a,
                peers=[bob],
                data={"started_on": timezone.localdate() - timedelta(days=10 * number)},
            )
    make_waiting_request(personas.programme_a, name="Bodil Vestergaard-Mikkelsen")
    wide = {}
    for persona, url_names in LISTS.items():
        phone = new_page(**PHONE)
        log_in(phone, getattr(personas, persona))
        for url_name in url_names:
            phone.goto(reverse(url_name))
            found = phone.evaluate(SIDEWAYS)
            if found:
                wide[f"{persona} {url_name}"] = found
        phone.context.close()
    assert not wide, wide
