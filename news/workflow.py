"""The editorial flow: who may move an article to which status.

Editors (编辑) write drafts and submit them for review; reviewers (审核) publish, withdraw
and pin. The admin asks these functions, so the rule holds for every form and action.
"""

from news.models import Article

EDITOR_STATUSES = (Article.Status.DRAFT, Article.Status.IN_REVIEW)
# What leaves an article in the hands of the editors once it has been published.
REVIEWED_STATUSES = (Article.Status.PUBLISHED, Article.Status.WITHDRAWN)


def can_publish(user) -> bool:
    return user.has_perm("news.publish_article")


def can_pin(user) -> bool:
    return user.has_perm("news.pin_article")


def allowed_statuses(user) -> list[Article.Status]:
    if can_publish(user):
        return list(Article.Status)
    return list(EDITOR_STATUSES)


def can_change(user, article: Article | None) -> bool:
    """Published and withdrawn articles change only through a reviewer."""
    if article is None or article.status not in REVIEWED_STATUSES:
        return True
    return can_publish(user)
