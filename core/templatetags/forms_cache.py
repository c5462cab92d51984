"""A list's filter form rendered once per content generation and submitted values.

Rendering a form through Django's form templates costs more than the rest of a list page's
template; a list's filters look the same for everyone who sends the same values, and their
menus change only with the content. So the HTML is kept in the shared cache under the
content generation (core.pagecache), the form's name, the language and the values sent.
A form with errors is rendered afresh (its messages echo what was sent).

    {% load forms_cache %}{% cached_form filter.form "article-list" %}
"""

import hashlib

from django import template
from django.core.cache import cache
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core import pagecache

register = template.Library()

# At most this long, even if the content does not change.
FORM_SECONDS = 60 * 60


def form_key(form, name: str) -> str:
    data = form.data
    values = [
        (
            field,
            data.getlist(form.add_prefix(field))
            if hasattr(data, "getlist")
            else data.get(form.add_prefix(field)),
        )
        for field in form.fields
    ]
    digest = hashlib.sha256(repr((form.is_bound, values)).encode()).hexdigest()
    return f"form-html:{name}:{get_language()}:{pagecache.generation()}:{digest}"


@register.simple_tag
def cached_form(form, name):
    """The form as `form.as_div` renders it, from the cache when it has no errors."""
    if form.is_bound and form.errors:
        return form.as_div()
    key = form_key(form, name)
    html = cache.get(key)
    if html is None:
        html = str(form.as_div())
        cache.set(key, html, FORM_SECONDS)
    # as_div's own output, which escapes every value sent; stored and returned unchanged.
    return mark_safe(html)  # noqa: S308  # nosec B308 B703
