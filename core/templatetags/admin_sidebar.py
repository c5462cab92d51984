"""The admin's side menu, rendered once per list of apps and current page, not on every page.

Every admin page draws the same menu: the apps and models the user may see (the site's
``get_app_list``, kept per user) with the current app and model marked. Django renders it
afresh each time: for a superuser's forty-odd models, 7 ms of the lawyer list's 24 ms on the
benchmark's server (bench/admin_lists.py). What it draws
follows from three things only: that list, which entries the path marks (Django's own rule,
``url in request.path|urlencode``) and the language. This tag keys the HTML on exactly those,
in the process, so a change to any of them renders anew and nothing needs forgetting.
"""

import hashlib
import threading
from collections import OrderedDict

from django import template
from django.template.defaultfilters import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

TEMPLATE = "admin/nav_sidebar.html"
# Menus per process, least recently drawn out first: a superuser's is about 20 KB of text,
# and a member of staff goes back and forth between a handful of models.
KEPT = 64

_kept: OrderedDict[bytes, str] = OrderedDict()
_lock = threading.Lock()


def _marked(url, path: str) -> bool:
    return bool(url) and url in path


def menu_key(app_list, path: str, language: str) -> bytes:
    """What the menu's HTML depends on: the apps and models listed, the marks and language."""
    path = urlencode(path)
    marks = [
        (_marked(app["app_url"], path), [_marked(m.get("admin_url"), path) for m in app["models"]])
        for app in app_list
    ]
    return hashlib.blake2b(repr((language, app_list, marks)).encode(), digest_size=16).digest()


@register.simple_tag(takes_context=True)
def nav_sidebar(context):
    request = context.get("request")
    if request is None:  # a page rendered without its request: nothing to key the menu on
        return _render(context)
    key = menu_key(context.get("available_apps") or [], request.path, get_language() or "")
    with _lock:
        html = _kept.get(key)
        if html is not None:
            _kept.move_to_end(key)
            # The template's own output, which escaped what it drew; kept unchanged.
            return mark_safe(html)  # noqa: S308  # nosec B308 B703
    html = _render(context)
    with _lock:
        _kept[key] = html
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return html


def _render(context) -> str:
    return context.template.engine.get_template(TEMPLATE).render(context)


def forget_all() -> None:
    with _lock:
        _kept.clear()
