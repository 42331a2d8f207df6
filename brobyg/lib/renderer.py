"""The form renderer: Django's templates for forms, written in Python where they are plain.

``{{ form }}`` renders every field through Django's form templates: the field group, its label,
its errors and its widget, each a template including others (``attrs.html``, an option's
template per option...). A filter form of seven fields cost about 2 ms a page that way (the
audit log's), a quarter of the page; a select of 48 options 6 ms (a request's matching page). This
renderer writes the same HTML, byte for byte, in Python for the templates below
(``lib/tests/test_renderer.py`` and ``test_widgets.py`` render forms and widgets of every kind
both ways and compare them, and check that the project overrides none of them), and hands any
other template to Django's templates as before. Django's templates stay the truth.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

FORMS = "django/forms/"


def _text(value) -> str:
    """``{{ value|stringformat:'s' }}`` under autoescape."""
    return conditional_escape(value if hasattr(value, "__html__") else str(value))


def _attrs(attrs) -> str:
    """``django/forms/widgets/attrs.html``."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(option) -> str:
    """``django/forms/widgets/input.html``."""
    value = "" if option["value"] is None else f' value="{_text(option["value"])}"'
    return (
        f'<input type="{conditional_escape(option["type"])}" '
        f'name="{conditional_escape(option["name"])}"{value}{_attrs(option["attrs"])}>\n'
    )


def _input_option(option) -> str:
    """``django/forms/widgets/checkbox_option.html`` and ``radio_option.html``: each includes
    ``input_option.html`` and ends with a line break, as that one does."""
    if not option["wrap_label"]:
        return _input(option) + "\n\n"
    for_id = option["attrs"].get("id")
    label_for = f' for="{conditional_escape(for_id)}"' if for_id else ""
    return f"<label{label_for}>{_input(option)} {conditional_escape(option['label'])}</label>\n\n"


def _multiple_input(widget) -> str:
    """``widgets/multiple_input.html`` (radio buttons, checkboxes) with each option's template
    (``radio_option.html``, ``checkbox_option.html``)."""
    own = widget["attrs"]
    html = [
        "<div",
        f' id="{conditional_escape(own["id"])}"' if own.get("id") else "",
        f' class="{conditional_escape(own["class"])}"' if own.get("class") else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            html.append(f"\n  <div><label>{conditional_escape(group)}</label>")
        html.extend(f"<div>\n    {_input_option(option)}</div>" for option in options)
        if group:
            html.append("\n  </div>")
    html.append("\n</div>")
    return mark_safe("".join(html))  # noqa: S308 - every value escaped above


def _select(widget) -> str:
    """``widgets/select.html`` with each option's ``select_option.html``."""
    html = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            html.append(f'\n  <optgroup label="{conditional_escape(group)}">')
        html.extend(
            f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
            f"{conditional_escape(option['label'])}</option>\n"
            for option in options
        )
        if group:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return mark_safe("".join(html))  # noqa: S308 - every value escaped above


def _form(context) -> str:
    """``div.html``."""
    errors, fields, hidden_fields = context["errors"], context["fields"], context["hidden_fields"]
    hidden = "".join(str(field) for field in hidden_fields)
    html = [f"{errors}\n"]
    if errors and not fields:
        html.append(f"\n  <div>{hidden}</div>\n")
    html.append("\n")
    for position, (field, _errors) in enumerate(fields, start=1):
        classes = field.css_classes()
        html.append(f'\n  <div class="{conditional_escape(classes)}">' if classes else "\n  <div>")
        html.append(f"\n    {field.as_field_group()}\n    ")
        if position == len(fields):
            html.append(f"\n      {hidden}\n    ")
        html.append("\n</div>\n")
    html.append("\n")
    if not fields and not errors:
        html.append(f"\n  {hidden}\n")
    return "".join(html)


def _field(context) -> str:
    """``field.html``."""
    field = context["field"]
    if field.use_fieldset:
        describedby = field.aria_describedby
        described = f' aria-describedby="{conditional_escape(describedby)}"' if describedby else ""
        html = [f"\n  <fieldset{described}>\n  ", field.legend_tag() if field.label else "", "\n"]
    else:
        html = ["\n  ", field.label_tag() if field.label else "", "\n"]
    html.append("\n")
    if field.help_text:
        auto_id = field.auto_id
        help_id = f' id="{conditional_escape(auto_id)}_helptext"' if auto_id else ""
        html.append(f'<div class="helptext"{help_id}>{field.help_text}</div>')
    html.append(f"\n{field.errors}\n{field}")
    if field.use_fieldset:
        html.append("</fieldset>")
    return "".join(html)


def _label(context) -> str:
    """``label.html``."""
    label = conditional_escape(context["label"])
    if not context["use_tag"]:
        return f"{label}\n"
    tag = conditional_escape(context["tag"])
    return f"<{tag}{_attrs(context['attrs'] or {})}>{label}</{tag}>\n"


def _errors(context) -> str:
    """``errors/list/default.html`` and ``ul.html``."""
    errors = context["errors"]
    if not errors:
        return ""
    field_id = errors.field_id
    error_id = f' id="{conditional_escape(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{conditional_escape(error)}</li>" for error in errors)
    return f'<ul class="{conditional_escape(context["error_class"])}"{error_id}>{items}</ul>'


def _input_widget(context) -> str:
    """The widgets whose template only includes ``input.html``."""
    widget = context["widget"]
    return _input(widget) + "\n"


def _textarea(context) -> str:
    """``widgets/textarea.html``."""
    widget = context["widget"]
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{value}</textarea>\n"
    )


WRITERS = {
    f"{FORMS}div.html": _form,
    f"{FORMS}field.html": _field,
    f"{FORMS}label.html": _label,
    f"{FORMS}errors/list/default.html": _errors,
    f"{FORMS}errors/list/ul.html": _errors,
    f"{FORMS}widgets/textarea.html": _textarea,
    f"{FORMS}widgets/select.html": lambda context: _select(context["widget"]),
    f"{FORMS}widgets/checkbox_select.html": lambda context: _multiple_input(context["widget"]),
    f"{FORMS}widgets/radio.html": lambda context: _multiple_input(context["widget"]),
    **{
        f"{FORMS}widgets/{name}.html": _input_widget
        for name in (
            "text",
            "email",
            "url",
            "number",
            "password",
            "hidden",
            "date",
            "datetime",
            "time",
            "search",
            "tel",
            "color",
            "checkbox",
        )
    },
}


class FormRenderer(DjangoTemplates):
    """Django's renderer, writing ``WRITERS``' templates in Python."""

    def render(self, template_name, context, request=None):
        writer = WRITERS.get(template_name)
        if writer is None or request is not None:
            return super().render(template_name, context, request)
        # Django strips what a form template writes, so the writers' text is stripped too.
        return writer(context).strip()
