"""The coverage table's rows (``{% coverage_row %}``): every cell, escaped, in the user's
language."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from brobyg.lib.templatetags.dates import short_date
from brobyg.orgs.models import User
from brobyg.peercare.tests.conftest import held_session
from brobyg.peercare.tests.test_flags_in_database import NOON, _peer
from brobyg.people.models import Peer, PeerStatus


def test_each_cell_of_a_coverage_row(client, english, personas, bob_peer):
    with time_machine.travel(NOON, tick=False):
        with scopes_disabled():
            User.objects.filter(pk=personas.bob.pk).update(full_name="Bob & <Co>")
        held_session(personas, [bob_peer], days_ago=50)
        paused = _peer(personas, "Pia", status=PeerStatus.PAUSED, created_days_ago=10)
        client.force_login(personas.alice)
        page = client.get(reverse("peercare_overview")).content.decode()
        today = timezone.localdate()
    bob_url = reverse("peercare_peer", args=[bob_peer.public_id])
    due = short_date(today - timedelta(days=50) + timedelta(weeks=6))
    assert (
        f'<tr><td><a href="{bob_url}">Bob &amp; &lt;Co&gt;</a></td><td>Active</td>'
        f"<td>{short_date(today - timedelta(days=50))}</td><td>1</td>"
        f'<td><span class="tag tag--flag">{due}</span></td><td>—</td><td>Not complete</td></tr>'
    ) in page
    with scopes_disabled():
        paused = Peer.objects.get(pk=paused.pk)
    pia_url = reverse("peercare_peer", args=[paused.public_id])
    pia_due = short_date(today - timedelta(days=10) + timedelta(weeks=6))
    # A peer on a break is not overdue, and "never" stands where no supervision was held.
    assert (
        f'<tr><td><a href="{pia_url}">Pia</a></td><td><span class="tag tag--flag">Paused</span>'
        f"</td><td>never</td><td>0</td><td>{pia_due}</td><td>—</td><td>Not complete</td></tr>"
    ) in page
