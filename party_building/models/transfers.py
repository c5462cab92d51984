"""组织关系转接 as a workflow: request, approval with a numbered letter, receipt or rejection.

The states and who may take which step are plain Python (``transfer_rules``); this module
stores each transfer, its letter's number and validity, and writes the memberships in the
same transaction as the step that receives the member.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history import register as keep_history

from party_building import transfer_rules as rules
from party_building.models import Membership, PartyMember, PartyOrganization

__all__ = ["Transfer", "TransferPolicy"]

DEFAULT_LETTER_VALID_DAYS = 30


class TransferPolicy(models.Model):
    """How long a letter (介绍信) stays valid: one row, edited by the committee's administrators."""

    letter_valid_days = models.PositiveSmallIntegerField(
        _("letter valid for (days)"),
        default=DEFAULT_LETTER_VALID_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
        help_text=_(
            "Counted from the day the letter is issued, that day included. A transfer not "
            "received by the end of it is overdue and shows on the board."
        ),
    )

    class Meta:
        verbose_name = _("transfer rule")
        verbose_name_plural = _("transfer rules")

    def __str__(self):
        return str(_("Letters valid for %(days)s days") % {"days": self.letter_valid_days})

    @classmethod
    def current(cls) -> "TransferPolicy":
        policy = cls.objects.order_by("pk").first()
        return policy if policy is not None else cls.objects.create()


class TransferQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=rules.OPEN_STATES)

    def overdue(self, today: datetime.date):
        """Approved, and the letter's validity ended before ``today``."""
        return self.filter(state=rules.State.APPROVED, valid_until__lt=today)


class Transfer(models.Model):
    """One member's transfer (组织关系转接) from a branch to another, or across the boundary."""

    class Kind(models.TextChoices):
        INTERNAL = rules.Kind.INTERNAL, _("Between branches of the association")
        OUTGOING = rules.Kind.OUTGOING, _("To an organisation outside the association")
        INCOMING = rules.Kind.INCOMING, _("From an organisation outside the association")

    class State(models.TextChoices):
        REQUESTED = rules.State.REQUESTED, _("Requested")
        APPROVED = rules.State.APPROVED, _("Approved")
        RECEIVED = rules.State.RECEIVED, _("Received")
        REJECTED = rules.State.REJECTED, _("Rejected")

    member = models.ForeignKey(
        PartyMember, models.PROTECT, related_name="transfers", verbose_name=_("party member")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.INTERNAL)
    from_branch = models.ForeignKey(
        PartyOrganization,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers_out",
        verbose_name=_("from branch"),
    )
    to_branch = models.ForeignKey(
        PartyOrganization,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers_in",
        limit_choices_to={"kind": PartyOrganization.Kind.BRANCH},
        verbose_name=_("to branch"),
    )
    external_organization = models.CharField(
        _("organisation outside the association"),
        max_length=200,
        blank=True,
        help_text=_("The organisation that receives the member, or that sends them, as written."),
    )
    reason = models.CharField(
        _("reason"), max_length=200, blank=True, help_text=_("E.g. a move to another firm.")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    letter_year = models.PositiveSmallIntegerField(_("letter year"), null=True, blank=True)
    letter_sequence = models.PositiveIntegerField(_("letter number"), null=True, blank=True)
    valid_until = models.DateField(_("letter valid until"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received by"),
    )
    received_on = models.DateField(
        _("received on"),
        null=True,
        blank=True,
        help_text=_(
            "The first day in the new organisation; the old membership ends the day before."
        ),
    )
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rejected by"),
    )
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)

    objects = TransferQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        permissions = [
            ("approve_transfer", _("Can approve or reject a transfer request")),
            ("receive_transfer", _("Can receive or reject an approved transfer")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(state__in=rules.OPEN_STATES),
                name="one_open_transfer_per_member",
                violation_error_message=_(
                    "This member already has a transfer in progress; finish or reject it first."
                ),
            ),
            models.UniqueConstraint(
                fields=["letter_year", "letter_sequence"],
                name="one_letter_per_number",
                violation_error_message=_("This letter number is taken."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        kind=rules.Kind.INTERNAL,
                        from_branch__isnull=False,
                        to_branch__isnull=False,
                    )
                    | Q(kind=rules.Kind.OUTGOING, from_branch__isnull=False, to_branch__isnull=True)
                    | Q(kind=rules.Kind.INCOMING, from_branch__isnull=True, to_branch__isnull=False)
                ),
                name="transfer_branches_match_its_kind",
                violation_error_message=_(
                    "A transfer between branches names both; one across the association's "
                    "boundary names the branch inside it only."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(state=rules.State.REJECTED) | ~Q(rejection_reason=""),
                name="transfer_rejected_with_a_reason",
                violation_error_message=_("Give the reason for the rejection."),
            ),
        ]
        indexes = [models.Index(fields=["state", "valid_until"], name="transfer_state_idx")]

    def __str__(self):
        return f"{self.member} · {self.source_name} → {self.destination_name}"

    def get_absolute_url(self):
        return reverse("party_building:transfer", kwargs={"pk": self.pk})

    @property
    def source_name(self) -> str:
        return self.from_branch.name if self.from_branch_id else self.external_organization

    @property
    def destination_name(self) -> str:
        return self.to_branch.name if self.to_branch_id else self.external_organization

    @property
    def letter_number(self) -> str:
        if self.letter_year is None or self.letter_sequence is None:
            return ""
        return rules.letter_number(self.letter_year, self.letter_sequence)

    @property
    def has_letter(self) -> bool:
        """The association issues the letter for members it sends; an incoming member brings
        the other organisation's. A rejected transfer's letter is void: not printed again."""
        return (
            bool(self.letter_number)
            and self.kind != self.Kind.INCOMING
            and self.state != self.State.REJECTED
        )

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return rules.is_overdue(self.state, self.valid_until, today or timezone.localdate())

    def clean(self):
        errors = {}
        if self.kind == self.Kind.INTERNAL:
            if not self.to_branch_id:
                errors["to_branch"] = _("Choose the branch that receives the member.")
            elif self.to_branch_id == self.from_branch_id:
                errors["to_branch"] = _("Choose a branch other than the member's own.")
        elif not self.external_organization.strip():
            errors["external_organization"] = _("Give the organisation outside the association.")
        if errors:
            raise ValidationError(errors)
        if self.member_id is None or self.pk is not None:
            return
        if Transfer.objects.open().filter(member_id=self.member_id).exists():
            raise ValidationError(
                {"member": _("This member already has a transfer in progress; finish or reject "
                             "it first.")}
            )  # fmt: skip
        current = Membership.objects.filter(member_id=self.member_id, end__isnull=True).first()
        if self.kind == self.Kind.INCOMING:
            if current is not None:
                raise ValidationError(
                    {"member": _("This member already belongs to %(branch)s.")
                     % {"branch": current.organization}}
                )  # fmt: skip
        elif current is None or current.organization_id != self.from_branch_id:
            raise ValidationError(
                {"member": _("This member does not belong to the branch the transfer leaves.")}
            )

    # --- The steps ------------------------------------------------------------------------

    def take(self, action: str, user, *, day: datetime.date | None = None, reason: str = ""):
        """Take one step, re-reading the transfer under a lock: a step already taken (a second
        click, another person) raises ``transfer_rules.WrongState`` and writes nothing.

        Receiving writes the memberships in the same transaction; if that fails, the
        transfer stays approved and no membership changes.
        """
        with transaction.atomic():
            fresh = Transfer.objects.select_for_update().get(pk=self.pk)
            new_state = rules.next_state(fresh.state, action)
            now = timezone.now()
            if action == rules.Action.APPROVE:
                fresh._issue_letter(user, now)
            elif action == rules.Action.REJECT:
                if not reason.strip():
                    raise ValidationError(_("Give the reason for the rejection."))
                fresh.rejected_by, fresh.rejected_at = user, now
                fresh.rejection_reason = reason.strip()
            else:
                fresh._write_memberships(day)
                fresh.received_by, fresh.received_on = user, day
            fresh.state = new_state
            fresh._history_user = user
            fresh.save()
        self.refresh_from_db()
        return self

    def _issue_letter(self, user, now):
        """Number the letter within its year and date its validity (the current rule)."""
        issued = timezone.localdate(now)
        self.approved_by, self.approved_at = user, now
        self.valid_until = rules.valid_until(issued, TransferPolicy.current().letter_valid_days)
        self.letter_year = issued.year
        for _attempt in range(3):
            last = Transfer.objects.filter(letter_year=issued.year).aggregate(
                n=Max("letter_sequence")
            )
            self.letter_sequence = (last["n"] or 0) + 1
            try:
                with transaction.atomic():  # another approval took the number: take the next
                    Transfer.objects.filter(pk=self.pk).update(
                        letter_year=self.letter_year, letter_sequence=self.letter_sequence
                    )
                return
            except IntegrityError:
                continue
        raise ValidationError(_("Could not number the letter; please try again."))

    def _write_memberships(self, day: datetime.date | None):
        if day is None:
            raise ValidationError(_("Give the day the member was received."))
        approved_on = timezone.localdate(self.approved_at) if self.approved_at else None
        if approved_on is not None and day < approved_on:
            raise ValidationError(
                _("The member cannot be received before the letter was issued (%(day)s).")
                % {"day": approved_on}
            )
        last_day, first_day = rules.membership_days(day)
        member = self.member
        current = member.memberships.select_for_update().filter(end__isnull=True).first()
        if self.kind == self.Kind.INCOMING:
            if current is not None:
                raise ValidationError(
                    _("%(member)s already belongs to %(branch)s.")
                    % {"member": member, "branch": current.organization}
                )
            membership = Membership(member=member, organization=self.to_branch, start=first_day)
            membership.full_clean()
            membership.save()
            return
        if current is None or current.organization_id != self.from_branch_id:
            raise ValidationError(
                _("%(member)s no longer belongs to %(branch)s; the transfer cannot be completed.")
                % {"member": member, "branch": self.from_branch}
            )
        if current.start > last_day:
            raise ValidationError(
                _("The transfer must come after the membership began on %(day)s.")
                % {"day": current.start}
            )
        if self.kind == self.Kind.OUTGOING:
            current.end = last_day
            current.save(update_fields=["end"])
        else:
            member.transfer(self.to_branch, on=first_day)


keep_history(Transfer)
keep_history(TransferPolicy)
