"""党员发展: a person's path into the party, from the application to the confirmation.

The order of the stages and the deadlines are plain Python in ``development_rules.py``;
the spans (a month for the talk, a year as activist, a year of probation) are rows of
``DevelopmentRule`` that administrators edit. This module stores the facts.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history import register as keep_history

from members.models import Person
from party_building import development_rules as rules
from party_building.models import Membership, PartyMember, PartyOrganization

__all__ = [
    "DevelopmentNotice",
    "DevelopmentRecord",
    "DevelopmentRule",
    "DevelopmentSponsor",
]


class Stage(models.TextChoices):
    APPLICANT = rules.Stage.APPLICANT, _("Applicant")
    ACTIVIST = rules.Stage.ACTIVIST, _("Activist")
    CANDIDATE = rules.Stage.CANDIDATE, _("Candidate for membership")
    PROBATIONARY = rules.Stage.PROBATIONARY, _("Probationary member")
    FULL = rules.Stage.FULL, _("Full member")


class DevelopmentRule(models.Model):
    """One span of the development rules (谈话期限, 积极分子考察期, 预备期), editable."""

    class Key(models.TextChoices):
        TALK_WITHIN = rules.RuleKey.TALK_WITHIN, _("Talk with the applicant within")
        ACTIVIST_AT_LEAST = (
            rules.RuleKey.ACTIVIST_AT_LEAST,
            _("Activist for at least, before becoming a candidate"),
        )
        PROBATION = rules.RuleKey.PROBATION, _("Probation lasts")

    class Unit(models.TextChoices):
        DAY = rules.SpanUnit.DAY, _("days")
        MONTH = rules.SpanUnit.MONTH, _("months")
        YEAR = rules.SpanUnit.YEAR, _("years")

    key = models.CharField(_("rule"), max_length=30, choices=Key.choices, unique=True)
    amount = models.PositiveSmallIntegerField(_("length"))
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    remind_before_days = models.PositiveSmallIntegerField(
        _("remind days before"),
        default=14,
        help_text=_("The branch is mailed this many days before the deadline, once."),
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("development rule")
        verbose_name_plural = _("development rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=1),
                name="development_rule_span_at_least_one",
                violation_error_message=_("A span is at least 1."),
            )
        ]

    def __str__(self):
        return f"{self.get_key_display()} {self.amount} {self.get_unit_display()}"

    @classmethod
    def current(cls) -> rules.Rules:
        """The rules as the plain-Python core reads them (one query)."""
        return rules.Rules.from_rows(
            cls.objects.values_list("key", "amount", "unit", "remind_before_days")
        )


class DevelopmentRecordQuerySet(models.QuerySet):
    def in_progress(self):
        """Records not yet at 正式党员: the pipeline."""
        return self.exclude(stage=rules.Stage.FULL)


class DevelopmentRecord(models.Model):
    """One person's development record in one branch, each stage with its day."""

    Stage = Stage

    person = models.OneToOneField(
        Person, models.PROTECT, related_name="party_development", verbose_name=_("person")
    )
    branch = models.ForeignKey(
        PartyOrganization,
        models.PROTECT,
        related_name="development_records",
        limit_choices_to={"kind": PartyOrganization.Kind.BRANCH},
        verbose_name=_("branch"),
    )
    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=Stage.choices,
        default=Stage.APPLICANT,
        help_text=_(
            "Moves forward one stage at a time, once the stage's day and records are given. "
            "Only a committee administrator may go back or skip, giving the reason."
        ),
    )
    applied_on = models.DateField(_("application received"))
    talk_on = models.DateField(
        _("talk held"),
        null=True,
        blank=True,
        help_text=_("The branch talks with the applicant within a month of the application."),
    )
    talk_by = models.CharField(_("talk held by"), max_length=100, blank=True)
    activist_on = models.DateField(_("became an activist"), null=True, blank=True)
    candidate_on = models.DateField(
        _("became a candidate"),
        null=True,
        blank=True,
        help_text=_("At least a year after becoming an activist."),
    )
    vetted_on = models.DateField(_("political vetting completed"), null=True, blank=True)
    publicized_from = models.DateField(_("public notice from"), null=True, blank=True)
    publicized_to = models.DateField(_("public notice until"), null=True, blank=True)
    admitted_on = models.DateField(
        _("admitted by the general meeting"),
        null=True,
        blank=True,
        help_text=_("The probation starts on this day."),
    )
    admission_vote = models.CharField(
        _("admission vote"),
        max_length=200,
        blank=True,
        help_text=_("E.g. 应到12人，实到11人，赞成11票。"),
    )
    confirmed_on = models.DateField(
        _("confirmed by the general meeting"),
        null=True,
        blank=True,
        help_text=_("Once the probation has ended."),
    )
    confirmation_vote = models.CharField(_("confirmation vote"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = DevelopmentRecordQuerySet.as_manager()

    class Meta:
        ordering = ["branch", "applied_on", "id"]
        verbose_name = _("development record")
        verbose_name_plural = _("development records")
        indexes = [models.Index(fields=["branch", "stage"], name="development_branch_stage_idx")]

    def __str__(self):
        return f"{self.person} · {self.get_stage_display()}"

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.record_admission()

    def as_rule_record(self, mentors=None, introducers=None) -> rules.Record:
        """The record for the plain-Python rules; sponsors counted unless given."""
        if mentors is None or introducers is None:
            roles = list(self.sponsors.values_list("role", flat=True)) if self.pk else []
            mentors = roles.count(DevelopmentSponsor.Role.MENTOR)
            introducers = roles.count(DevelopmentSponsor.Role.INTRODUCER)
        return rules.Record(
            stage=rules.Stage(self.stage),
            mentors=mentors,
            introducers=introducers,
            **{name: getattr(self, name) for name in rules.DATED_STEPS},
        )

    def record_admission(self):
        """From 预备党员 on, the person is a party member of the branch: probationary from
        the general meeting's day, full from the confirmation (kept in the history)."""
        if self.stage not in (rules.Stage.PROBATIONARY, rules.Stage.FULL) or not self.admitted_on:
            return
        status = (
            PartyMember.Status.FULL
            if self.stage == rules.Stage.FULL
            else PartyMember.Status.PROBATIONARY
        )
        member, created = PartyMember.objects.get_or_create(
            person=self.person, defaults={"status": status, "joined_party": self.admitted_on}
        )
        if not created and (member.status, member.joined_party) != (status, self.admitted_on):
            member.status, member.joined_party = status, self.admitted_on
            member.save(update_fields=["status", "joined_party", "updated_at"])
        if not member.memberships.exists():
            Membership.objects.create(
                member=member, organization=self.branch, start=self.admitted_on
            )


class DevelopmentSponsor(models.Model):
    """A full member who follows the person: a 培养联系人 (mentor) from the activist stage,
    or a 入党介绍人 (introducer) for the admission. Two of each."""

    class Role(models.TextChoices):
        MENTOR = "mentor", _("Mentor")
        INTRODUCER = "introducer", _("Introducer")

    record = models.ForeignKey(
        DevelopmentRecord,
        models.CASCADE,
        related_name="sponsors",
        verbose_name=_("development record"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    member = models.ForeignKey(
        PartyMember,
        models.PROTECT,
        related_name="sponsored",
        verbose_name=_("party member"),
        help_text=_("A full member."),
    )

    class Meta:
        ordering = ["record", "role", "id"]
        verbose_name = _("mentor or introducer")
        verbose_name_plural = _("mentors and introducers")
        constraints = [
            models.UniqueConstraint(
                fields=["record", "role", "member"],
                name="one_sponsor_role_per_member_and_record",
                violation_error_message=_("This member is already named in this role."),
            )
        ]

    def __str__(self):
        return f"{self.get_role_display()}：{self.member}"

    def clean(self):
        if self.member_id and self.member.status != PartyMember.Status.FULL:
            raise ValidationError({"member": _("Mentors and introducers are full members.")})


class DevelopmentNotice(models.Model):
    """A deadline of one record (the talk, the 转正 vote) that a user was mailed about, once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="party_development_notices",
        verbose_name=_("user"),
    )
    record = models.ForeignKey(
        DevelopmentRecord, models.CASCADE, related_name="+", verbose_name=_("development record")
    )
    step = models.CharField(
        _("step"),
        max_length=20,
        choices=[
            (rules.Step.TALK.value, _("talk")),
            (rules.Step.CONFIRMATION.value, _("confirmation")),
        ],
    )
    due = models.DateField(_("deadline"))
    sent_on = models.DateField(_("sent on"))

    class Meta:
        ordering = ["-sent_on", "id"]
        verbose_name = _("development reminder sent")
        verbose_name_plural = _("development reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "record", "step", "due"],
                name="one_development_notice_per_user_record_step_and_deadline",
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.record} · {self.get_step_display()} · {self.due}"


# The reason an administrator gives for going back or skipping is a paragraph, not 100 letters.
keep_history(DevelopmentRule)
keep_history(DevelopmentRecord, history_change_reason_field=models.TextField(null=True))
keep_history(DevelopmentSponsor)
