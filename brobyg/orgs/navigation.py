"""The main menu: one list of items, each shown to members holding its permission.

An item is current (``aria-current="page"``) when the page's URL name is one of ``names`` or
starts with one of ``prefixes`` and not with one of ``except_prefixes``.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.urls import get_script_prefix, reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from brobyg.orgs.permissions import ALL_PERMISSIONS


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    permission: str | None = None  # None: every member
    names: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    except_prefixes: tuple[str, ...] = ()
    # (permission, label): the label for members who also hold that permission
    label_with: tuple[str, str] | None = None

    def is_current(self, url_name: str) -> bool:
        if url_name in self.names:
            return True
        excluded = bool(self.except_prefixes) and url_name.startswith(self.except_prefixes)
        return bool(self.prefixes) and url_name.startswith(self.prefixes) and not excluded


# The volunteers app's pages about hours and expenses (not the application pipeline).
VOLUNTEERING_PAGES = (
    "volunteers_claim",
    "volunteers_statement",
    "volunteers_mine",
    "volunteers_mileage",
)

MAIN_MENU = (
    NavItem("start", _("Start"), names=("start",)),
    NavItem("programme_list", _("Programmes"), "view_programmes", prefixes=("programme",)),
    NavItem(
        "intake_referral_list",
        _("Referrals"),
        "view_referral_status",
        prefixes=("intake_referral",),
    ),
    NavItem("unit_list", _("Services"), "view_units", prefixes=("unit",)),
    NavItem(
        "intake_waiting_list",
        _("Waiting list"),
        "view_waiting_list",
        names=("intake_waiting_list",),
    ),
    NavItem(
        "matching_overview",
        _("Matching"),
        "manage_matching",
        prefixes=("matching_",),
        except_prefixes=("matching_peer",),
    ),
    NavItem("groups_list", _("Groups"), "view_groups", prefixes=("groups_",)),
    NavItem("matching_peer_list", _("Peers"), "view_peers", prefixes=("matching_peer",)),
    NavItem(
        "matching_own_matches", _("My proposals"), "answer_proposals", prefixes=("matching_own",)
    ),
    NavItem(
        "support_course_list",
        _("My courses"),
        "view_courses",
        prefixes=("support_course", "support_session"),
        label_with=("manage_courses", _("Courses")),
    ),
    NavItem("support_calendar", _("Calendar"), "view_calendar", names=("support_calendar",)),
    NavItem("conversations_list", _("Messages"), "message_citizens", prefixes=("conversations_",)),
    NavItem(
        "support_handover_list",
        _("Hand-overs"),
        "answer_handovers",
        prefixes=("support_handover", "support_follow_u"),
    ),
    NavItem(
        "peercare_overview",
        _("Peer care"),
        "view_peer_care",
        prefixes=("peercare_",),
        except_prefixes=("peercare_own",),
    ),
    NavItem(
        "peercare_supervision",
        _("Supervision"),
        "record_supervision",
        names=("peercare_supervision",),
    ),
    NavItem(
        "volunteers_pipeline",
        _("Volunteer applications"),
        "manage_volunteers",
        prefixes=("volunteers_",),
        except_prefixes=VOLUNTEERING_PAGES,
    ),
    NavItem(
        "volunteers_claims",
        _("Volunteers' expenses"),
        "manage_volunteers",
        prefixes=("volunteers_claim", "volunteers_statement"),
        except_prefixes=(
            "volunteers_claim_edit",
            "volunteers_claim_receipt_own",
            "volunteers_statement_own",
        ),
    ),
    NavItem(
        "volunteers_mine",
        _("Hours and expenses"),
        "record_volunteer_hours",
        prefixes=("volunteers_mine", "volunteers_claim_edit", "volunteers_statement_own"),
    ),
    NavItem("peercare_own", _("My peer care"), "use_own_peer_care", prefixes=("peercare_own",)),
    NavItem("reports_report", _("Reports"), "view_reports", prefixes=("reports_",)),
    NavItem("member_list", _("Staff and volunteers"), "view_members", prefixes=("member",)),
    NavItem("imports_start", _("Import"), "import_data", prefixes=("imports_",)),
    NavItem("sms_message_list", _("Text messages"), "view_text_messages", prefixes=("sms_",)),
    NavItem(
        "api_client_list",
        _("API clients"),
        "manage_api_clients",
        prefixes=("api_client", "api_credential"),
    ),
    NavItem("audit_entry_list", _("Audit log"), "view_audit_log", prefixes=("audit",)),
    NavItem(
        "rights_request_list",
        _("Data-protection requests"),
        "manage_data_requests",
        prefixes=("rights",),
    ),
    NavItem(
        "organisation_edit", _("Organisation"), "manage_organisation", names=("organisation_edit",)
    ),
    NavItem("sso_settings", _("Log-in"), "manage_organisation", names=("sso_settings",)),
)

for _item in MAIN_MENU:
    for _permission in (_item.permission, *(_item.label_with or ())[:1]):
        if _permission is not None and _permission not in ALL_PERMISSIONS:
            raise ValueError(f"Unknown permission {_permission!r} in the main menu.")


@dataclass(frozen=True)
class Menu:
    """The items a member sees (``url``, ``label``, ``current``) and their list items' HTML."""

    items: tuple[dict, ...]
    html: str

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)


def main_menu(request) -> Menu:
    """The current member's menu. It depends on their permissions, the page, the language and
    the script prefix only (no personal data), so each combination is built once per process."""
    if getattr(request, "org", None) is None:
        return Menu((), "")
    match = getattr(request, "resolver_match", None)
    return _menu(
        getattr(request, "permissions", frozenset()),
        (match.url_name if match else "") or "",
        get_language(),
        get_script_prefix(),
    )


@lru_cache(maxsize=1024)
def _menu(permissions: frozenset, url_name: str, language: str, script_prefix: str) -> Menu:
    items = []
    for item in MAIN_MENU:
        if item.permission is not None and item.permission not in permissions:
            continue
        label = item.label
        if item.label_with and item.label_with[0] in permissions:
            label = item.label_with[1]
        items.append(
            {
                "url": reverse(item.url_name),
                "label": str(label),
                "current": item.is_current(url_name),
            }
        )
    html = format_html_join(
        "\n",
        '<li><a href="{}"{}>{}</a></li>',
        (
            (
                item["url"],
                mark_safe(' aria-current="page"') if item["current"] else "",
                item["label"],
            )
            for item in items
        ),
    )
    return Menu(tuple(items), html)
