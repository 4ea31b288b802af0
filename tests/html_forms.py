"""Reading a rendered admin form the way a browser submits it, so tests post what the page really offers."""

import re

from bs4 import BeautifulSoup


def post_form(response):
    """The page's POST form."""
    assert response.status_code == 200
    form = BeautifulSoup(response.content, "html.parser").find("form", method=re.compile("(?i)^post$"))
    assert form is not None, "the page has no form to submit"
    return form


def submitted(elements, rename=lambda name: name):
    """What a browser submits for these form elements as they stand; disabled ones are left out."""
    data = {}
    for element in elements:
        name, kind = element.get("name"), element.get("type", "text").lower()
        if not name or element.has_attr("disabled") or kind in {"submit", "button", "file", "image", "reset"}:
            continue
        if element.name == "select":
            options = element.find_all("option")
            chosen = [o for o in options if o.has_attr("selected")] or options[:1]
            values = [o.get("value", o.get_text()) for o in chosen]
        elif element.name == "textarea":
            values = [element.get_text().removeprefix("\n")]
        elif kind in {"checkbox", "radio"}:
            values = [element.get("value", "on")] if element.has_attr("checked") else []
        else:
            values = [element.get("value", "")]
        data.setdefault(rename(name), []).extend(values)
    return {name: values[0] if len(values) == 1 else values for name, values in data.items()}


def form_data(form):
    """The form's fields as a browser would submit them untouched, without inline panels' templates."""
    fields = form.find_all(["input", "select", "textarea"])
    return submitted(field for field in fields if "__prefix__" not in field.get("name", ""))
