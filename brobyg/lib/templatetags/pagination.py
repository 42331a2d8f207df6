"""``{% pagination page %}``: the links between the pages of a list (``brobyg.lib.pagination``),
keeping the list's filters. Numbered pages say "Page 2 of 7"; keyset pages (the audit log) link
to the newest, newer and older entries."""

from django import template
from django.core.paginator import Page

from brobyg.lib.pagination import PAGE_PARAMETERS

register = template.Library()


def _link(query, **params) -> str:
    query = query.copy()
    for name in PAGE_PARAMETERS:
        query.pop(name, None)
    for name, value in params.items():
        if value is not None:
            query[name] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.inclusion_tag("lib/_pagination.html", takes_context=True)
def pagination(context, page, newest_first=False):
    """``newest_first``: say "Newer"/"Older" instead of "Previous"/"Next"."""
    query = context["request"].GET
    if isinstance(page, Page):
        return {
            "numbered": True,
            "shown": page.paginator.num_pages > 1,
            "number": page.number,
            "total": page.paginator.num_pages,
            "previous_url": _link(query, page=page.previous_page_number())
            if page.has_previous()
            else None,
            "next_url": _link(query, page=page.next_page_number()) if page.has_next() else None,
            "newest_first": newest_first,
        }
    return {
        "numbered": False,
        "shown": page.has_next or page.has_previous,
        "first_url": None if page.is_first else _link(query),
        "previous_url": _link(query, newer=page.newer) if page.has_previous else None,
        "next_url": _link(query, older=page.older) if page.has_next else None,
        "newest_first": True,
    }
