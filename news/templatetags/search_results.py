"""A search result's title and snippet with the matches marked, built in Python.

Each of the twenty results has a title and a snippet cut into a few (text, is_match) pieces;
through a template loop they cost more than the rest of the result. The markup is the same
as the loop wrote: each piece escaped by format_html, a match inside <mark>.
"""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.filter
def highlighted(segments):
    """The ``(text, is_match)`` segments of ``news.segmentation.highlight`` as HTML."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html("<mark>{}</mark>", text) if is_match else text,)
            for text, is_match in segments
        ),
    )
