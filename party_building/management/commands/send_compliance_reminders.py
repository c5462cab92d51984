"""Email branch secretaries what is overdue or due soon, and administrators a weekly summary.

Meant to run once a day (docs/PARTY_BUILDING.md has the systemd timer and the cron line).
Each user gets at most one daily digest and one weekly summary per day: ReminderLog
records what was sent, so a second run on the same day sends nothing new. OverdueNotice
records the overdue items each user was told of, so each is mailed once, not every day.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from party_building import access, board, development, dues, terms
from party_building.board_terms import terms_by_branch
from party_building.compliance import DueState
from party_building.models import (
    DevelopmentNotice,
    DevelopmentRule,
    OrganizationManager,
    OverdueNotice,
    PartyOrganization,
    ReminderLog,
)

ADMINISTRATORS_GROUP = "党委管理员"
MONDAY = 0


def secretaries():
    """The active accounts that manage an organisation and have an address to mail."""
    return (
        get_user_model()
        .objects.filter(
            pk__in=OrganizationManager.objects.values("user"), is_active=True, email__gt=""
        )
        .order_by("pk")
    )


class Command(BaseCommand):
    help = (
        "Email each branch secretary the required meetings that are overdue or due within "
        "two weeks, and the committee's administrators a weekly summary of overdue branches."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--weekly",
            action="store_true",
            help="Send the administrators' weekly summary even if today is not a Monday.",
        )
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="Act as if today were this day (YYYY-MM-DD), e.g. to catch up a missed run.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say who would get what; send nothing."
        )

    def handle(self, *args, date=None, weekly=False, dry_run=False, **options):
        today = date or timezone.localdate()
        with translation.override(settings.LANGUAGE_CODE):
            branches = (
                PartyOrganization.objects.filter(kind=PartyOrganization.Kind.BRANCH)
                .select_related("law_firm")
                .order_by("name", "pk")
            )
            due = board.due_items_by_branch(branches, today)
            # 换届: committees whose term ends within terms.DUE_WITHIN_MONTHS or has ended.
            due_terms = [
                (branch, term)
                for branch, term in terms_by_branch(branches, today)
                if term.state in (terms.TermState.DUE_SOON, terms.TermState.OVERDUE)
            ]
            daily = self.send_daily(due, due_terms, today, dry_run)
            developing = self.send_development(today, dry_run)
            weekly_sent = 0
            if weekly or today.weekday() == MONDAY:
                weekly_sent = self.send_weekly(due, due_terms, today, dry_run)
        verb = "Would send" if dry_run else "Sent"
        self.stdout.write(
            f"{verb} {daily} daily digest(s) and {weekly_sent} weekly summary(ies) for {today}."
        )
        if developing:
            self.stdout.write(f"{verb} {developing} development reminder(s).")

    def send_daily(self, due, due_terms, today, dry_run):
        """One digest per secretary, listing each of their branches with something to do."""
        sent = 0
        for user in secretaries():
            # access.py decides which branches are the user's (a general branch's manager
            # hears about the branches under it too): one small query per secretary.
            mine = set(access.branches_for(user).values_list("pk", flat=True))
            told = set(
                OverdueNotice.objects.filter(user=user).values_list(
                    "branch", "kind", "period_start"
                )
            )
            todo, notices = [], []
            for branch, items in due.items():
                if branch.pk not in mine:
                    continue
                # An overdue item is mailed once; items due soon until their deadline.
                items = [
                    item
                    for item in items
                    if item.state is not DueState.OVERDUE
                    or (branch.pk, item.requirement.kind, item.period.start) not in told
                ]
                notices += [
                    OverdueNotice(
                        user=user,
                        branch=branch,
                        kind=item.requirement.kind,
                        period_start=item.period.start,
                        sent_on=today,
                    )
                    for item in items
                    if item.state is DueState.OVERDUE
                ]
                if items:
                    todo.append((branch, items))
            # A term is mailed once when it becomes due soon and once when it is overdue.
            term_items = [
                (branch, term)
                for branch, term in due_terms
                if branch.pk in mine and (branch.pk, f"term_{term.state}", term.ends) not in told
            ]
            notices += [
                OverdueNotice(
                    user=user,
                    branch=branch,
                    kind=f"term_{term.state}",
                    period_start=term.ends,
                    sent_on=today,
                )
                for branch, term in term_items
            ]
            context = {
                "branches": todo,
                "terms": term_items,
                "branch_count": len({branch.pk for branch, _ in todo + term_items}),
            }
            if (todo or term_items) and self.deliver(
                user, ReminderLog.Kind.DAILY, today, dry_run, "daily", context, notices
            ):
                sent += 1
        return sent

    def send_development(self, today, dry_run):
        """党员发展: each secretary hears once of each deadline of their branches' records
        (the talk, the 转正 vote) as it comes within notice or passes; none once recorded."""
        steps = development.due_steps(
            development.records_with_deadlines()
            .order_by("pk")
            .values(*development.DEADLINE_FIELDS),
            DevelopmentRule.current(),
            today,
        )
        if not steps:
            return 0
        branches = PartyOrganization.objects.in_bulk({step.branch_pk for step in steps})
        sent = 0
        for user in secretaries():
            mine = set(access.branches_for(user).values_list("pk", flat=True))
            told = set(
                DevelopmentNotice.objects.filter(user=user).values_list("record", "step", "due")
            )
            todo = [
                step
                for step in steps
                if step.branch_pk in mine
                and (step.record_pk, step.deadline.step, step.deadline.due) not in told
            ]
            if not todo:
                continue
            notices = [
                DevelopmentNotice(
                    user=user,
                    record_id=step.record_pk,
                    step=step.deadline.step,
                    due=step.deadline.due,
                    sent_on=today,
                )
                for step in todo
            ]
            by_branch = {}
            for step in todo:
                by_branch.setdefault(branches[step.branch_pk], []).append(step)
            context = {"branches": sorted(by_branch.items(), key=lambda pair: pair[0].name)}
            if self.deliver(
                user, ReminderLog.Kind.DEVELOPMENT, today, dry_run, "development", context, notices
            ):
                sent += 1
        return sent

    def send_weekly(self, due, due_terms, today, dry_run):
        overdue = [
            (branch, [item for item in items if item.state is DueState.OVERDUE])
            for branch, items in due.items()
        ]
        overdue = [(branch, items) for branch, items in overdue if items]
        administrators = (
            get_user_model()
            .objects.filter(groups__name=ADMINISTRATORS_GROUP, is_active=True, email__gt="")
            .distinct()
            .order_by("pk")
        )
        # 党费 owed over the twelve months before this one, per branch: in the weekly
        # summary only, so that arrears are not mailed every day.
        this_month = today.replace(day=1)
        year_ago = (this_month - datetime.timedelta(days=365)).replace(day=1)
        by_branch = board.dues_arrears_by_branch(
            PartyOrganization.objects.filter(pk__in=[branch.pk for branch in due]),
            year_ago,
            this_month - datetime.timedelta(days=1),
            today,
        )
        arrears = [
            (branch, len(by_branch[branch.pk]), dues.yuan(sum(r[2] for r in by_branch[branch.pk])))
            for branch in due
            if branch.pk in by_branch
        ]
        context = {
            "overdue": overdue,
            "branch_count": len(due),
            "arrears": arrears,
            "terms": due_terms,
        }
        return sum(
            1
            for user in administrators
            if self.deliver(user, ReminderLog.Kind.WEEKLY, today, dry_run, "weekly", context)
        )

    def deliver(self, user, kind, today, dry_run, template, context, notices=()):
        """Send one reminder unless one of this kind went to the user today; ``notices``
        are saved with it, so that its overdue items are not mailed again."""
        if ReminderLog.objects.filter(user=user, kind=kind, sent_on=today).exists():
            return False
        context = {
            **context,
            "user": user,
            # Chinese order, family name first and no space: 蒋建, not 建 蒋.
            "name": f"{user.last_name.strip()}{user.first_name.strip()}" or user.username,
            "today": today,
            "SITE_NAME": settings.SITE_NAME,
            "site_url": settings.SITE_URL.rstrip("/"),
        }
        subject = render_to_string(f"party_building/email/{template}_subject.txt", context)
        body = render_to_string(f"party_building/email/{template}_body.txt", context)
        if dry_run:
            self.stdout.write(f"{user.email}: {' '.join(subject.split())}")
            return True
        try:
            # The log row and the mail stand or fall together: if sending fails, the row
            # is rolled back and tomorrow's run (or a re-run today) tries again.
            with transaction.atomic():
                ReminderLog.objects.create(user=user, kind=kind, sent_on=today)
                for model in {type(notice) for notice in notices}:
                    model.objects.bulk_create(
                        [notice for notice in notices if type(notice) is model],
                        ignore_conflicts=True,
                    )
                send_mail(" ".join(subject.split()), body, None, [user.email])
        except IntegrityError:
            return False  # another run sent it a moment ago
        except OSError as exc:
            raise CommandError(
                f"Could not send the {kind} reminder to {user.email}: {exc}"
            ) from exc
        return True
