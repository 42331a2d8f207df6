"""The citizen's data as files: JSON in the published format and a PDF (WeasyPrint, like the
reports). The privacy officer's export and the citizen's own download both come from here."""

import json

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from brobyg.rights import registry

FORMATS = ("json", "pdf")


def _rows(value):
    """Nested export data as (label, text or nested rows) for the PDF."""
    if isinstance(value, dict):
        return [(key.replace("_", " "), _rows(item)) for key, item in value.items()]
    if isinstance(value, list):
        if all(not isinstance(item, (dict, list)) for item in value):
            return ", ".join(str(item) for item in value)
        return [(str(number), _rows(item)) for number, item in enumerate(value, 1)]
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)


def render_pdf(data: dict) -> bytes:
    from weasyprint import HTML

    labels = {shredder.name: shredder.label for shredder in registry.shredders()}
    html = render_to_string(
        "rights/export_pdf.html",
        {
            "data": data,
            "language": get_language(),
            "generated_at": timezone.localtime(),
            "records": _rows(data["person"]["records"]),
            "consents": data["person"]["consents"],
            "parts": [
                (labels.get(name, name), _rows(part)) for name, part in data["parts"].items()
            ],
            "access_log": data["access_log"],
        },
    )
    return HTML(string=html).write_pdf(pdf_tags=True)


def render_json(data: dict) -> bytes:
    return json.dumps(data, indent=2, ensure_ascii=False).encode()


def file_response(data: dict, file_format: str) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    if file_format == "pdf":
        response = HttpResponse(render_pdf(data), content_type="application/pdf")
    else:
        response = HttpResponse(render_json(data), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="brobyg-my-data-{stamp}.{file_format}"'
    response["Cache-Control"] = "no-store"
    return response
