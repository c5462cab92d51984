"""The desk on the admin's front page: what waits for this user, gathered from every app.

Apps register panel functions (request -> Panel or None) when they load; core knows none of
them by name. A panel's `count` also appears in the menu at the top of every admin page.
"""

from dataclasses import dataclass, field

_panels = []


@dataclass
class Row:
    title: str
    url: str
    meta: str = ""
    note: str = ""  # e.g. the reason a draft was returned
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url)


@dataclass
class Panel:
    key: str
    title: str
    rows: list[Row]
    empty: str
    count: int | None = None  # shown in the menu when set
    more_url: str = ""


def register(panel_function) -> None:
    if panel_function not in _panels:
        _panels.append(panel_function)


def panels(request) -> list[Panel]:
    found = (function(request) for function in _panels)
    return [panel for panel in found if panel is not None]


def counts(request) -> list[tuple[str, str, int]]:
    """(key, title, count) of every panel with a count, for the menu."""
    result = []
    for function in _panels:
        panel = function(request, count_only=True)
        if panel is not None and panel.count is not None:
            result.append((panel.key, panel.title, panel.count))
    return result
