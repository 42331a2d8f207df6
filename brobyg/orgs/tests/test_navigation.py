"""The main menu is one list in orgs/navigation.py: each item shown to members holding its
permission, marked current on its own pages."""

from django.urls import reverse

from brobyg.orgs.navigation import MAIN_MENU


def _menu(client, user, path):
    client.force_login(user)
    return client.get(path).context["main_menu"]


def test_it_shows_a_member_only_the_items_of_their_permissions(client, personas):
    peer_urls = {item["url"] for item in _menu(client, personas.bob, reverse("start"))}
    assert reverse("support_course_list") in peer_urls
    assert reverse("intake_waiting_list") not in peer_urls
    referrer_urls = {item["url"] for item in _menu(client, personas.rita, reverse("start"))}
    assert referrer_urls == {
        reverse(name) for name in ("start", "programme_list", "intake_referral_list", "unit_list")
    }


def test_it_marks_the_current_section_once(client, personas):
    menu = _menu(client, personas.alice, reverse("support_course_list"))
    assert [item["url"] for item in menu if item["current"]] == [reverse("support_course_list")]


def test_every_item_names_a_url():
    for item in MAIN_MENU:
        assert reverse(item.url_name)
