"""The main menu is one list in orgs/navigation.py: each item shown to members holding its
permission, marked current on its own pages."""

from django.urls import reverse
from django.utils.html import escape

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


def test_the_menu_is_written_once_per_permissions_page_and_language(client, personas):
    client.force_login(personas.alice)
    page = client.get(reverse("support_course_list"))
    menu = page.context["main_menu"]
    html = page.content.decode()
    for item in menu:
        current = ' aria-current="page"' if item["current"] else ""
        assert f'<li><a href="{item["url"]}"{current}>{escape(item["label"])}</a></li>' in html
    again = client.get(reverse("support_course_list")).context["main_menu"]
    assert again.html is menu.html
    client.cookies["django_language"] = "en"
    english = client.get(reverse("support_course_list")).context["main_menu"]
    assert english.html != menu.html
    assert [item["url"] for item in english] == [item["url"] for item in menu]
