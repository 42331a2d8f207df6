"""Lists page in the database: ``paginate`` (numbered pages, Django's Paginator) for lists of a
known, moderate size, and ``keyset_page`` for long lists ordered by time (the audit log), which
never counts or skips rows. Both pages render with the one partial
``templates/lib/_pagination.html`` through the built-in tag ``{% pagination page %}``, which
keeps the page's filters in its links."""

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, Window

from brobyg.lib.planning import planned_for_values

PAGE_SIZE = 50

# The query parameters that choose a page; every other parameter is a filter the links keep.
PAGE_PARAMETERS = ("page", "older", "newer")


def paginate(request, objects, *, per_page: int | None = None, count: int | None = None) -> Page:
    """The page of ``objects`` (an ordered queryset) that ``?page=`` asks for (``PAGE_SIZE``
    rows); a page out of range or not a number gives the nearest page. ``count``: the number of
    ``objects`` when the caller already read it with another query (none is asked then)."""
    paginator = Paginator(objects, per_page or PAGE_SIZE)
    if count is not None:
        paginator.count = count
    return paginator.get_page(request.GET.get("page"))


class ListedParts:
    """Querysets listed one after another (e.g. an organisation's active members, then its
    former ones), for ``paginate``: ``counts`` are their numbers of rows (read by the caller, in
    one query); a page reads only the parts it spans, each in its own order through its own
    index, where one ORDER BY over a column that sets the parts apart (active before former)
    made the database join and sort every row for each page."""

    def __init__(self, parts, counts):
        self.parts = list(parts)
        self.counts = list(counts)

    def __len__(self):
        return sum(self.counts)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("ListedParts are read a page (a slice) at a time")
        start, stop, _step = index.indices(len(self))
        rows, offset = [], 0
        for part, count in zip(self.parts, self.counts, strict=True):
            low, high = max(start - offset, 0), min(stop - offset, count)
            if low < high:
                rows.extend(part[low:high])
            offset += count
        return rows


# The highest page ``paginate_counted`` reads with its count (an OFFSET beyond it is past any
# list; such a page is counted apart and gives the last page).
_COUNTED_PAGES = 100_000


def paginate_counted(request, objects, *, per_page: int | None = None) -> Page:
    """``paginate`` for a filtered list (a search) whose matching rows the database finds whole
    before it sorts them: the page and the number of every matching row are read in one query (a
    window count), where counting apart would find the rows twice. PostgreSQL plans it for what
    is searched (``lib.planning``). A page past the end or not a number gives the nearest page,
    as ``paginate`` does (past the end, counted apart)."""
    per_page = per_page or PAGE_SIZE
    paginator = Paginator(objects, per_page)
    try:
        number = max(int(request.GET.get("page") or 1), 1)
    except (TypeError, ValueError):
        number = 1
    if number <= _COUNTED_PAGES:
        bottom = (number - 1) * per_page
        with planned_for_values(objects.model):
            rows = list(objects.annotate(list_count=Window(Count("*")))[bottom : bottom + per_page])
        if rows:
            paginator.count = rows[0].list_count
            return Page(rows, number, paginator)
    return paginator.get_page(number)


@dataclass
class KeysetPage:
    """A page of a list ordered newest first by (time, id). ``older`` and ``newer`` are the
    cursors of the neighbouring pages (None at the ends)."""

    object_list: list
    older: str | None = None
    newer: str | None = None
    is_first: bool = True

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def has_next(self) -> bool:
        return self.older is not None

    @property
    def has_previous(self) -> bool:
        return self.newer is not None


def _cursor(row, time_field: str) -> str:
    return f"{getattr(row, time_field).isoformat()}~{row.pk}"


def _parse_cursor(value: str | None) -> tuple[datetime, int] | None:
    if not value or "~" not in value:
        return None
    moment, _, pk = value.rpartition("~")
    try:
        at = datetime.fromisoformat(moment.replace(" ", "+"))
        number = int(pk)
    except ValueError:
        return None
    if at.tzinfo is None:
        return None
    return at, number


def keyset_page(request, objects, *, per_page: int | None = None, time_field: str = "created_at"):
    """The page of ``objects`` before ``?older=`` or after ``?newer=`` (cursors of the form
    ``<time>~<id>``), newest first by (``time_field``, id). Costs one query of ``per_page + 1``
    rows, whichever page: an index on the time column serves it without counting or skipping
    rows. A malformed cursor gives the first page.

    ``objects`` may also be a list of querysets with no row in common, read as one list: each
    part is read like a single queryset and the page is the newest of their rows. A list whose
    filter is an OR of two conditions served by different indexes pages fast this way, where
    the OR makes the database read and sort every row of both."""
    per_page = per_page or PAGE_SIZE
    parts = objects if isinstance(objects, list | tuple) else [objects]
    older = _parse_cursor(request.GET.get("older"))
    newer = None if older else _parse_cursor(request.GET.get("newer"))
    if newer is not None:
        at, pk = newer
        after = Q(**{f"{time_field}__gt": at}) | Q(**{time_field: at, "pk__gt": pk})
        rows = _first_rows(
            [part.filter(after).order_by(time_field, "pk") for part in parts],
            per_page + 1,
            time_field,
            newest_first=False,
        )
        more_newer = len(rows) > per_page
        rows = list(reversed(rows[:per_page]))
        return KeysetPage(
            object_list=rows,
            newer=_cursor(rows[0], time_field) if rows and more_newer else None,
            older=_cursor(rows[-1], time_field) if rows else None,
            is_first=not more_newer,
        )
    if older is not None:
        at, pk = older
        before = Q(**{f"{time_field}__lt": at}) | Q(**{time_field: at, "pk__lt": pk})
        parts = [part.filter(before) for part in parts]
    rows = _first_rows(
        [part.order_by(f"-{time_field}", "-pk") for part in parts],
        per_page + 1,
        time_field,
        newest_first=True,
    )
    more_older = len(rows) > per_page
    rows = rows[:per_page]
    return KeysetPage(
        object_list=rows,
        older=_cursor(rows[-1], time_field) if rows and more_older else None,
        newer=_cursor(rows[0], time_field) if rows and older is not None else None,
        is_first=older is None,
    )


def _first_rows(ordered_parts, count: int, time_field: str, *, newest_first: bool) -> list:
    """The first ``count`` rows of the ordered parts taken together (one query per part)."""
    if len(ordered_parts) == 1:
        return list(ordered_parts[0][:count])
    rows = [row for part in ordered_parts for row in part[:count]]
    rows.sort(key=lambda row: (getattr(row, time_field), row.pk), reverse=newest_first)
    return rows[:count]
