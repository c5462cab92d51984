"""The branch secretary's panel on the admin desk: what their branches have let lapse."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.desk import Panel, Row
from party_building import access, board, compliance

BRANCHES = 20


def overdue_items(request, count_only=False):
    """逾期事项: for staff who manage branches, the lapsed requirements of each, by deadline."""
    user = request.user
    if access.sees_everything(user):
        return None  # the committee has the whole board; the desk is for a secretary
    branches = list(access.branches_for(user).order_by("name")[:BRANCHES])
    if not branches:
        return None
    today = timezone.localdate()
    due = board.due_items_by_branch(
        access.branches_for(user).filter(pk__in=[branch.pk for branch in branches]), today
    )
    rows = [
        Row(
            title=f"{branch.name}：{item.description}",
            url=reverse("party_building:branch", args=[branch.pk]),
            meta=_("overdue since %(date)s") % {"date": item.deadline.isoformat()},
        )
        for branch in branches
        for item in due.get(branch, [])
        if item.state is compliance.DueState.OVERDUE
    ]
    title = gettext_lazy("Overdue in my branches")
    if count_only:
        return Panel("overdue", title, [], "", count=len(rows))
    return Panel(
        "overdue",
        title,
        rows,
        _("Nothing is overdue in your branches."),
        count=len(rows),
        more_url=reverse("party_building:board"),
    )
