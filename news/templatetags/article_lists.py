"""The rows of an article list, built in Python.

Every list page shows twenty of them (the home page fifty and more); through the template
engine the rows cost more than the rest of the page, and a signed-in reader gets no cached
page. The markup is the same as a template would write: each value escaped by format_html.
"""

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

from news.models import article_paths

register = template.Library()


@register.simple_tag
def article_items(articles, show_lead=False):
    """`<ul class="article-list">` with each article's link, column, source, date (and lead)."""
    source_label = gettext("Source")
    path = article_paths()
    zone = timezone.get_current_timezone()
    rows = []
    for article in articles:
        local = article.published_at.astimezone(zone)
        rows.append(
            (
                path(local, article.pk),
                article.title,
                article.column.name,
                source_label,
                article.source.name,
                local.isoformat(),
                local.date().isoformat(),
                format_html('\n      <p class="lead">{}</p>', article.lead) if show_lead else "",
            )
        )
    if not rows:
        return format_html(
            '<ul class="article-list">\n    <li class="empty">{}</li>\n</ul>',
            gettext("No articles yet."),
        )
    items = format_html_join(
        "",
        '\n    <li>\n      <a href="{}">{}</a>\n      <span class="meta"><span class="column">{}'
        '</span> <span class="source">{}：{}</span> <time datetime="{}">{}</time></span>{}'
        "\n    </li>",
        rows,
    )
    return format_html('<ul class="article-list">{}\n</ul>', items)
