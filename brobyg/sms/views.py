from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_noop

from brobyg.audit.services import log_list_read
from brobyg.orgs.permissions import org_permission_required
from brobyg.sms import selectors
from brobyg.sms.models import TextStatus


@org_permission_required("view_text_messages")
def message_list(request):
    """The organisation's texts and how each went: sent, being tried again, or failed and why."""
    page = Paginator(selectors.messages_of_organisation(request.org), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    log_list_read(
        request=request,
        subjects=[message.citizen for message in page.object_list if message.citizen],
        object_type="sms.textmessage",
        reason=gettext_noop("text messages"),
        details={"results": page.paginator.count, "page": page.number},
    )
    counts = selectors.status_counts(request.org)
    return render(
        request,
        "sms/message_list.html",
        {
            "page": page,
            "counts": [(TextStatus(status).label, n) for status, n in counts.items()],
            "failed": counts[TextStatus.FAILED],
            "undelivered": counts[TextStatus.UNDELIVERED],
        },
    )
