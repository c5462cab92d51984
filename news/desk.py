"""The newsroom's panels on the admin desk: what waits for review, the editor's own articles,
and what was published lately (registered with core.desk by news.admin)."""

from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.desk import Panel, Row
from news import workflow
from news.models import Article

ROWS = 15


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "Y-m-d H:i") if moment else ""


def _change_url(article) -> str:
    return reverse("admin:news_article_change", args=[article.pk])


def _preview(article) -> tuple[str, str]:
    return (_("Preview"), reverse("admin:news_article_preview", args=[article.pk]))


def review_queue(request, count_only=False):
    """待我审核: for reviewers, oldest submission first, with who submitted it and when."""
    if not workflow.can_publish(request.user):
        return None
    waiting = Article.objects.filter(status=Article.Status.IN_REVIEW)
    title = gettext_lazy("Waiting for my review")
    if count_only:
        return Panel("review", title, [], "", count=waiting.count())
    articles = waiting.select_related("column", "submitted_by").order_by(
        F("submitted_at").asc(nulls_first=True), "updated_at"
    )
    rows = [
        Row(
            title=article.title,
            url=_change_url(article),
            meta=_("%(column)s · submitted by %(who)s at %(when)s")
            % {
                "column": article.column.name,
                "who": article.submitted_by or "—",
                "when": _when(article.submitted_at or article.updated_at),
            },
            links=[_preview(article)],
        )
        for article in articles[:ROWS]
    ]
    return Panel(
        "review",
        title,
        rows,
        _("Nothing waits for review."),
        count=len(rows) if len(rows) < ROWS else waiting.count(),
        more_url=reverse("admin:news_article_changelist") + "?status__exact=in_review",
    )


def my_articles(request, count_only=False):
    """我的稿件: the editor's drafts (returned ones with the reason), in review, scheduled."""
    user = request.user
    if not user.has_perm("news.add_article"):
        return None
    mine = Article.objects.filter(created_by=user).filter(
        status__in=[Article.Status.DRAFT, Article.Status.IN_REVIEW]
    ) | Article.objects.filter(
        created_by=user, status=Article.Status.PUBLISHED, published_at__gt=timezone.now()
    )
    title = gettext_lazy("My articles")
    if count_only:
        return Panel("mine", title, [], "", count=mine.count())
    rows = []
    for article in mine.select_related("column").order_by("-updated_at")[:ROWS]:
        if article.status == Article.Status.PUBLISHED:
            state = _("scheduled for %(when)s") % {"when": _when(article.published_at)}
        elif article.return_reason and article.status == Article.Status.DRAFT:
            state = _("returned for changes")
        else:
            state = article.get_status_display()
        rows.append(
            Row(
                title=article.title,
                url=_change_url(article),
                meta=f"{state} · {_('changed at %(when)s') % {'when': _when(article.updated_at)}}",
                note=article.return_reason if article.status == Article.Status.DRAFT else "",
                links=[_preview(article)],
            )
        )
    return Panel("mine", title, rows, _("You have no drafts, nothing in review or scheduled."))


def recently_published(request, count_only=False):
    if count_only or not request.user.has_perm("news.view_article"):
        return None
    articles = Article.objects.published().select_related("column").order_by("-published_at")
    rows = [
        Row(
            title=article.title,
            url=_change_url(article),
            meta=f"{article.column.name} · {_when(article.published_at)}",
            links=[(_("On the site"), article.get_absolute_url())],
        )
        for article in articles[:10]
    ]
    return Panel("published", gettext_lazy("Recently published"), rows, _("Nothing published yet."))
