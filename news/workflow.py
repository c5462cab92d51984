"""The editorial flow: which buttons a user may press on an article, and what each one does.

Editors (编辑) write drafts and submit them for review; reviewers (审核) publish, schedule,
return with a reason, withdraw and pin. The admin shows the buttons `available_actions`
names and refuses any other; `apply` is the one place an action changes an article.
"""

import enum

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from news.models import Article

# What leaves an article in the hands of the editors once it has been published.
REVIEWED_STATUSES = (Article.Status.PUBLISHED, Article.Status.WITHDRAWN)
# What a restored version brings back: the content, never its place in the flow.
CONTENT_FIELDS = (
    "title", "subtitle", "column", "source", "author", "body", "summary", "cover_image",
)  # fmt: skip
CONTENT_M2M_FIELDS = ("events", "speeches")


class Action(enum.StrEnum):
    SAVE_DRAFT = "save_draft"
    SAVE = "save"
    SUBMIT = "submit"
    PUBLISH = "publish"
    RETURN = "return"
    WITHDRAW = "withdraw"
    PIN = "pin"
    UNPIN = "unpin"


LABELS = {
    Action.SAVE_DRAFT: _("Save draft"),
    Action.SAVE: _("Save"),
    Action.SUBMIT: _("Submit for review"),
    Action.PUBLISH: _("Publish"),
    Action.RETURN: _("Return for changes"),
    Action.WITHDRAW: _("Withdraw"),
    Action.PIN: _("Pin"),
    Action.UNPIN: _("Unpin"),
}


def can_publish(user) -> bool:
    return user.has_perm("news.publish_article")


def can_pin(user) -> bool:
    return user.has_perm("news.pin_article")


def can_change(user, article: Article | None) -> bool:
    """Published and withdrawn articles change only through a reviewer."""
    if article is None or article.status not in REVIEWED_STATUSES:
        return True
    return can_publish(user)


def available_actions(user, article: Article | None) -> list[Action]:
    """The buttons `user` may press on `article` (None: a new article), in footer order."""
    if article is None:
        if not user.has_perm("news.add_article"):
            return []
        status = Article.Status.DRAFT
    else:
        if not (user.has_perm("news.change_article") and can_change(user, article)):
            return []
        status = article.status
    actions = []
    if status == Article.Status.DRAFT:
        actions += [Action.SAVE_DRAFT, Action.SUBMIT]
    else:
        actions.append(Action.SAVE)
    if can_publish(user):
        if status != Article.Status.PUBLISHED:
            actions.append(Action.PUBLISH)
        if status == Article.Status.IN_REVIEW:
            actions.append(Action.RETURN)
        if status == Article.Status.PUBLISHED:
            actions.append(Action.WITHDRAW)
    if can_pin(user):
        pinned = article is not None and article.is_pinned
        actions.append(Action.UNPIN if pinned else Action.PIN)
    return actions


def is_scheduled(article: Article) -> bool:
    return article.published_at is not None and article.published_at > timezone.now()


def label(action: Action, article: Article | None) -> str:
    if action == Action.PUBLISH and article is not None and is_scheduled(article):
        return _("Schedule")
    return LABELS[action]


class ReasonRequired(ValueError):
    """Returning an article without saying why: the editor would not know what to fix."""


def apply(action: Action, article: Article, user, reason: str = "") -> str:
    """Move `article` (not yet saved) as `action` says; return the message for the user."""
    reason = reason.strip()
    if action == Action.SAVE_DRAFT:
        article.status = Article.Status.DRAFT
        return _("The draft was saved.")
    if action == Action.SAVE:
        return _("The changes were saved.")
    if action == Action.SUBMIT:
        article.status = Article.Status.IN_REVIEW
        article.submitted_at = timezone.now()
        article.submitted_by = user
        article.return_reason = ""
        return _("Submitted for review: a reviewer will find it under “Waiting for my review”.")
    if action == Action.PUBLISH:
        article.status = Article.Status.PUBLISHED
        article.return_reason = ""
        if is_scheduled(article):
            when = formats.date_format(timezone.localtime(article.published_at), "Y-m-d H:i")
            return _("Scheduled: it appears on the site at %(when)s.") % {"when": when}
        return _("Published: it is on the site now.")
    if action == Action.RETURN:
        if not reason:
            raise ReasonRequired(_("Say what the editor should change before returning it."))
        article.status = Article.Status.DRAFT
        article.return_reason = reason
        return _("Returned to the editor with your reason.")
    if action == Action.WITHDRAW:
        article.status = Article.Status.WITHDRAWN
        return _("Withdrawn: it is no longer on the site.")
    if action == Action.PIN:
        article.is_pinned = True
        return _("Pinned: it stays at the top of the home page while published.")
    if action == Action.UNPIN:
        article.is_pinned = False
        return _("Unpinned.")
    raise ValueError(action)


def parse_action(value) -> Action | None:
    try:
        return Action(value)
    except ValueError:
        return None


def restore_content(article: Article, version, user) -> None:
    """Bring back the content of a historical `version` of `article` (saved here), never its
    status, pin or publication time: restoring is an edit, not a step in the flow."""
    for name in CONTENT_FIELDS:
        field = Article._meta.get_field(name)
        setattr(article, field.attname, getattr(version, field.attname))
    article.updated_by = user
    article._history_user = user
    when = formats.date_format(timezone.localtime(version.history_date), "Y-m-d H:i")
    article._change_reason = _("Content restored from the version of %(when)s") % {"when": when}
    article.save()
    for name in CONTENT_M2M_FIELDS:
        target = Article._meta.get_field(name).related_model._meta.model_name
        getattr(article, name).set(
            [getattr(row, f"{target}_id") for row in getattr(version, name).all()]
        )
