"""Choice widgets that write their options' HTML in Python.

Django renders each option of a select or a list of checkboxes or radio buttons through three
nested templates (the option, the input, its attributes): a form with a few dozen options costs
several milliseconds per page (the request's matching page: 48 options, 6 ms). These widgets
take Django's own context (``get_context``: values, checked options, ids, attributes) and write
the same HTML as Django's templates, byte for byte (``lib/tests/test_widgets.py`` compares them),
only the loops run in Python. Django's templates stay the truth: a widget with a custom template
is not one of these."""

from django.forms import widgets
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


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


class _MultipleInput:
    """``django/forms/widgets/multiple_input.html``."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
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


class CheckboxSelectMultiple(_MultipleInput, widgets.CheckboxSelectMultiple):
    pass


class RadioSelect(_MultipleInput, widgets.RadioSelect):
    pass


class Select(widgets.Select):
    """``django/forms/widgets/select.html`` and ``select_option.html``."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
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
