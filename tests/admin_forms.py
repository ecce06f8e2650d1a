"""Fill in a Django admin change form the way a browser would submit it."""

from typing import Any


def _field_values(form) -> dict[str, Any]:
    data = {}
    for bound in form:
        value = bound.value()
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        else:
            data[bound.html_name] = value
        if bound.field.show_hidden_initial:
            # Browsers send the hidden initial value too; it tells Django the extra form is untouched.
            data[bound.html_initial_name] = value
    return data


def admin_form_data(response, **overrides: Any) -> dict[str, Any]:
    """The POST data of the admin page in `response`, as displayed, with `overrides` applied."""
    context = response.context
    data = _field_values(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_field_values(formset.management_form))
        for form in formset.forms:
            data.update(_field_values(form))
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
