"""Party organisations in the member law firms, their members, and what each branch did.

The rules (which meetings, how often, what counts as held) live in ``compliance.py``; this
module stores the facts and asks the questions on QuerySets: ``BranchActivity.objects
.in_period(…)``, ``.published()``, ``Membership.objects.valid_on(day)``.

A package: the year's further work (member development, transfers, assessments) keeps its
models in a module of its own here, imported at the end of this file.
"""

import datetime

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history import register as keep_history

from core.fields import DocumentField, RandomName, RichTextField, SafeImageField
from core.models import Stamped
from core.private_files import private_storage
from members.models import LawFirm, Organization, Person
from news.models import Article
from party_building import compliance, dues

# The column that reports party building (news migration 0002 creates it).
PARTY_BUILDING_COLUMN = "party-building"

KIND_CHOICES = list(compliance.KIND_LABELS.items())
UNIT_CHOICES = list(compliance.UNIT_LABELS.items())
# What an overdue notice is about: a kind of activity, or a committee's term (换届), whose
# notice is kept under "term_" and the term's state (party_building/terms.py).
NOTICE_KIND_CHOICES = [
    *KIND_CHOICES,
    ("term_due_soon", _("Committee term ending soon")),
    ("term_overdue", _("Committee term overdue")),
]


class PartyOrganization(models.Model):
    """A party organisation (党组织): the committee, a general branch or a branch."""

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Party committee")
        GENERAL_BRANCH = "general_branch", _("General party branch")
        BRANCH = "branch", _("Party branch")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BRANCH)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent party organisation"),
        help_text=_("The committee or general branch this organisation reports to."),
    )
    law_firm = models.ForeignKey(
        LawFirm,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="party_organizations",
        verbose_name=_("law firm"),
        help_text=_("The law firm the branch sits in; empty for a joint branch of several firms."),
    )
    established = models.DateField(
        _("established"),
        null=True,
        blank=True,
        help_text=_(
            "Periods that began before this day require nothing of the branch. "
            "Left empty, every period does."
        ),
    )
    organization = models.OneToOneField(
        Organization,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="party_organization",
        limit_choices_to={"kind": Organization.Kind.PARTY_ORGANIZATION},
        verbose_name=_("as named in the news"),
        help_text=_(
            "The same organisation as named in meetings and speeches "
            "(e.g. as a presenter), so that the two are linked."
        ),
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")
        permissions = [
            ("manage_all_organizations", _("Can see and manage every party organisation")),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("party_building:branch", kwargs={"pk": self.pk})

    def get_public_url(self):
        return reverse("party_building:public-branch", kwargs={"pk": self.pk})

    def clean(self):
        if self.organization and self.organization.kind != Organization.Kind.PARTY_ORGANIZATION:
            raise ValidationError(
                {"organization": _("Choose an organisation of the kind “party organisation”.")}
            )
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("An organisation cannot be part of itself.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class OfficerQuerySet(models.QuerySet):
    def serving_on(self, day: datetime.date):
        return self.filter(Q(term_end__isnull=True) | Q(term_end__gte=day), term_start__lte=day)


class Officer(models.Model):
    """A secretary or committee member of a party organisation, for one term."""

    class Role(models.TextChoices):
        SECRETARY = "secretary", _("Secretary")
        DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
        COMMITTEE_MEMBER = "committee_member", _("Committee member")

    organization = models.ForeignKey(
        PartyOrganization,
        models.CASCADE,
        related_name="officers",
        verbose_name=_("party organisation"),
    )
    person = models.ForeignKey(
        Person, models.PROTECT, related_name="party_posts", verbose_name=_("person")
    )
    role = models.CharField(_("post"), max_length=20, choices=Role.choices)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(
        _("term ends"), null=True, blank=True, help_text=_("Empty while the term lasts.")
    )

    objects = OfficerQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "role", "-term_start", "id"]
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="officer_term_ends_after_it_starts",
                violation_error_message=_("A term cannot end before it starts."),
            )
        ]

    def __str__(self):
        return f"{self.organization} {self.get_role_display()} {self.person.name}"


class PartyMember(models.Model):
    """A party member (党员). The lawyer record, if any, is reached through the person."""

    class Status(models.TextChoices):
        FULL = "full", _("Full member")
        PROBATIONARY = "probationary", _("Probationary member")

    person = models.OneToOneField(
        Person, models.PROTECT, related_name="party_member", verbose_name=_("person")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.FULL
    )
    joined_party = models.DateField(_("joined the party"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="party_member",
        verbose_name=_("user account"),
        help_text=_(
            "The member's own account on this site: with it the member signs in to see "
            "their own record (我的党员档案) and to check in at meetings. Set by the "
            "committee's administrators."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["person__name", "id"]
        verbose_name = _("party member")
        verbose_name_plural = _("party members")

    def __str__(self):
        return str(self.person)

    @property
    def name(self):
        return self.person.name

    @property
    def lawyer(self):
        """The member's lawyer record, or None (select_related("person__lawyer") to read it)."""
        return getattr(self.person, "lawyer", None)

    @transaction.atomic
    def transfer(self, to, on: datetime.date, role=None):
        """组织关系转接: close the membership open on ``on`` and open one in ``to`` from ``on``.

        The old branch keeps the member up to the day before, so its activities until then
        still count the member; the new branch counts them from ``on``.
        """
        current = self.memberships.select_for_update().valid_on(on).filter(end__isnull=True).first()
        if current is not None:
            if current.organization_id == to.pk:
                raise ValidationError(_("The member already belongs to this organisation."))
            if current.start >= on:
                raise ValidationError(
                    _("The transfer must come after the membership began on %(day)s.")
                    % {"day": current.start}
                )
            current.end = on - datetime.timedelta(days=1)
            current.save(update_fields=["end"])
        return Membership.objects.create(
            member=self,
            organization=to,
            start=on,
            role=role or (current.role if current else Membership.Role.MEMBER),
        )


class MembershipQuerySet(models.QuerySet):
    def valid_on(self, day):
        """Memberships in force on ``day`` (a date or an OuterRef to one)."""
        return self.filter(Q(end__isnull=True) | Q(end__gte=day), start__lte=day)

    def current(self):
        return self.valid_on(timezone.localdate())


class Membership(models.Model):
    """A member's registration in one organisation, from ``start`` to ``end`` (inclusive)."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        GROUP_LEADER = "group_leader", _("Party group leader")

    member = models.ForeignKey(
        PartyMember, models.CASCADE, related_name="memberships", verbose_name=_("party member")
    )
    organization = models.ForeignKey(
        PartyOrganization,
        models.PROTECT,
        related_name="memberships",
        verbose_name=_("party organisation"),
    )
    start = models.DateField(_("from"))
    end = models.DateField(
        _("until"),
        null=True,
        blank=True,
        help_text=_(
            "The last day in this organisation; empty while it lasts. "
            "To transfer a member, end this one and add one in the new branch from the next day."
        ),
    )
    role = models.CharField(
        _("role in the branch"), max_length=20, choices=Role.choices, default=Role.MEMBER
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="membership_ends_after_it_starts",
                violation_error_message=_("A membership cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(end__isnull=True),
                name="one_open_membership_per_member",
                violation_error_message=_(
                    "This member already has an open membership; end it first (transfer)."
                ),
            ),
        ]
        indexes = [models.Index(fields=["organization", "start"], name="membership_org_idx")]

    def __str__(self):
        return f"{self.member} · {self.organization}"

    # Set by the admin's membership formset, which checks the rows of one save together
    # (ending the old row and adding the new one is a transfer, not an overlap).
    overlap_checked_by_formset = False

    def clean(self):
        # In the member's admin form the member may be new: read it from the relation.
        member = getattr(self, "member", None)
        joined = member.joined_party if member is not None else None
        if joined and self.start and self.start < joined:
            raise ValidationError(
                {
                    "start": _(
                        "A membership cannot start before the member joined the party (%(day)s)."
                    )
                    % {"day": joined}
                }
            )
        if not (self.member_id and self.start):
            return
        if self.end is not None and self.end < self.start:
            return  # the check constraint reports it
        if self.overlap_checked_by_formset:
            return
        overlapping = Membership.objects.filter(member_id=self.member_id).exclude(pk=self.pk)
        overlapping = overlapping.filter(Q(end__isnull=True) | Q(end__gte=self.start))
        if self.end is not None:
            overlapping = overlapping.filter(start__lte=self.end)
        if overlapping.exists():
            raise ValidationError(
                _("A member belongs to one organisation at a time; the dates overlap another.")
            )


class RequirementQuerySet(models.QuerySet):
    def rules(self, kinds=None):
        """The requirements as compliance.Requirement values, for the plain-Python core."""
        rows = self.filter(kind__in=kinds) if kinds else self
        return [row.as_rule() for row in rows]


class Requirement(models.Model):
    """How often a branch must hold one kind of activity; administrators may change it."""

    kind = models.CharField(_("kind of activity"), max_length=40, choices=KIND_CHOICES)
    unit = models.CharField(_("every"), max_length=10, choices=UNIT_CHOICES)
    times = models.PositiveSmallIntegerField(
        _("times"), default=1, help_text=_("At least this many in every period.")
    )

    objects = RequirementQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                name="one_requirement_per_kind",
                violation_error_message=_("There is already a requirement for this kind."),
            ),
            models.CheckConstraint(
                condition=Q(times__gte=1),
                name="requirement_at_least_once",
                violation_error_message=_("A requirement needs at least one activity."),
            ),
        ]

    def __str__(self):
        return self.as_rule().label

    def as_rule(self) -> compliance.Requirement:
        return compliance.Requirement(self.kind, self.unit, self.times)


class BranchActivityQuerySet(models.QuerySet):
    def in_period(self, start, end):
        """Activities dated from ``start`` to ``end``, both days included."""
        return self.filter(date__range=(start, end))

    def held_by(self, day):
        """Activities dated on or before ``day``: later ones are plans, not meetings held."""
        return self.filter(date__lte=day)

    def published(self):
        """Activities reported by a published article: what the public may see."""
        return self.filter(article__in=Article.objects.published())

    def with_attendance(self):
        """Annotate 应到 (expected), 实到 (present), excused and absent counts.

        Only members of the branch on the activity's date count, so a member transferred
        away counts for the old branch before the transfer and the new one after it.
        """
        valid = Membership.objects.valid_on(OuterRef("activity__date")).filter(
            member=OuterRef("member"), organization=OuterRef("activity__branch")
        )
        counted = Attendance.objects.filter(Exists(valid), activity=OuterRef("pk"))

        def count(status=None):
            rows = counted.filter(status=status) if status else counted
            return models.Subquery(
                rows.order_by().values("activity").annotate(n=models.Count("pk")).values("n")[:1],
                output_field=models.IntegerField(),
            )

        return self.annotate(
            expected_count=models.functions.Coalesce(count(), 0),
            present_count=models.functions.Coalesce(count(Attendance.Status.PRESENT), 0),
            excused_count=models.functions.Coalesce(count(Attendance.Status.EXCUSED), 0),
            absent_count=models.functions.Coalesce(count(Attendance.Status.ABSENT), 0),
        )


class BranchActivity(Stamped):
    """A meeting or activity a branch held (三会一课, 主题党日 …), with its minutes."""

    branch = models.ForeignKey(
        PartyOrganization,
        models.PROTECT,
        related_name="activities",
        limit_choices_to={"kind": PartyOrganization.Kind.BRANCH},
        verbose_name=_("branch"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=KIND_CHOICES)
    date = models.DateField(
        _("date"),
        help_text=_("The day it was held. A future date records a plan, which counts once held."),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    presided_by = models.ForeignKey(
        Person,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="presided_party_activities",
        verbose_name=_("presided by"),
    )
    topic = models.CharField(_("topic"), max_length=200)
    minutes = RichTextField(_("minutes"), blank=True)
    article = models.ForeignKey(
        Article,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="party_activities",
        limit_choices_to={"column__slug": PARTY_BUILDING_COLUMN},
        verbose_name=_("news report"),
        help_text=_(
            "An article of the 党建工作 column that reports this activity. Once that article "
            "is published, the activity (date, kind, topic) appears on the branch's public "
            "page; attendance and minutes never do."
        ),
    )

    objects = BranchActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        get_latest_by = "date"
        verbose_name = _("branch activity")
        verbose_name_plural = _("branch activities")
        indexes = [
            models.Index(fields=["branch", "date"], name="activity_branch_date_idx"),
            models.Index(fields=["date", "kind"], name="activity_date_kind_idx"),
        ]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}：{self.topic}"

    def get_absolute_url(self):
        return reverse("party_building:activity", kwargs={"pk": self.pk})

    @admin.display(boolean=True, description=_("public"))
    def is_published(self):
        """Agrees with BranchActivityQuerySet.published(), for one activity."""
        return self.article_id is not None and self.article.is_published()


class ActivityAttachment(models.Model):
    activity = models.ForeignKey(
        BranchActivity, models.CASCADE, related_name="attachments", verbose_name=_("activity")
    )
    title = models.CharField(_("title"), max_length=200)
    file = DocumentField(
        _("file"),
        upload_to=RandomName("party/attachments"),
        storage=private_storage,
        max_length=200,
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(
        BranchActivity, models.CASCADE, related_name="photos", verbose_name=_("activity")
    )
    image = SafeImageField(
        _("photo"), upload_to=RandomName("party/photos"), storage=private_storage, max_length=200
    )
    caption = models.CharField(
        _("caption"),
        max_length=200,
        help_text=_("Says what the photo shows, for readers who cannot see it."),
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.caption


class Attendance(models.Model):
    """Whether one member attended one activity (实到 / 请假 / 缺席)."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    activity = models.ForeignKey(
        BranchActivity, models.CASCADE, related_name="attendance", verbose_name=_("activity")
    )
    member = models.ForeignKey(
        PartyMember, models.PROTECT, related_name="attendance", verbose_name=_("party member")
    )
    status = models.CharField(
        _("attendance"), max_length=10, choices=Status.choices, default=Status.PRESENT
    )
    reason = models.CharField(
        _("reason"),
        max_length=200,
        blank=True,
        help_text=_("Why the member was excused or absent."),
    )

    class Meta:
        ordering = ["member__person__name", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "member"],
                name="one_attendance_per_member_and_activity",
                violation_error_message=_("This member is already recorded for the activity."),
            )
        ]

    def __str__(self):
        return f"{self.member} · {self.get_status_display()}"

    def clean(self):
        # In the admin's inline the activity may be new: read it from the relation, not the id.
        activity = getattr(self, "activity", None)
        if activity is None or not (activity.branch_id and activity.date and self.member_id):
            return
        belongs = (
            Membership.objects.valid_on(activity.date)
            .filter(member_id=self.member_id, organization_id=activity.branch_id)
            .exists()
        )
        if not belongs:
            raise ValidationError(
                {
                    "member": _(
                        "%(member)s was not a member of %(branch)s on %(day)s; "
                        "record members of the branch only."
                    )
                    % {"member": self.member, "branch": activity.branch, "day": activity.date}
                }
            )


class CampaignQuerySet(models.QuerySet):
    def public(self):
        """Campaigns with at least one published commitment: their page is public."""
        return self.filter(Exists(Commitment.objects.published().filter(campaign=OuterRef("pk"))))


class Campaign(models.Model):
    """A campaign such as 创先争优活动, in which members make public commitments."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    start = models.DateField(_("starts"))
    end = models.DateField(_("ends"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "id"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="campaign_ends_after_it_starts",
                violation_error_message=_("A campaign cannot end before it starts."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("party_building:public-campaign", kwargs={"pk": self.pk})

    def covers(self, day: datetime.date) -> bool:
        """Whether ``day`` falls within the campaign (an open end: from its start on)."""
        return self.start <= day and (self.end is None or day <= self.end)


class CommitmentQuerySet(models.QuerySet):
    def published(self):
        """Commitments the committee chose to publish: what the public may see."""
        return self.filter(is_public=True)


class Commitment(models.Model):
    """A public commitment (公开承诺) in a campaign, and how it was later reviewed.

    A member commits for themselves; a branch commits as a whole (支部承诺): one of the two.
    """

    class Result(models.TextChoices):
        FULFILLED = "fulfilled", _("Fulfilled")
        PARTLY = "partly", _("Partly fulfilled")
        NOT_FULFILLED = "not_fulfilled", _("Not fulfilled")

    member = models.ForeignKey(
        PartyMember,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("party member"),
    )
    branch = models.ForeignKey(
        PartyOrganization,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("branch"),
        help_text=_("For a branch's own commitment; leave the party member empty."),
    )
    campaign = models.ForeignKey(
        Campaign, models.PROTECT, related_name="commitments", verbose_name=_("campaign")
    )
    text = models.TextField(_("commitment"))
    made_on = models.DateField(_("made on"))
    review = models.TextField(_("review"), blank=True)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=20, choices=Result.choices, blank=True)
    is_public = models.BooleanField(
        _("published"),
        default=False,
        help_text=_(
            "Shown on the campaign's public page with the member's name, their branch, the "
            "text and the result of the review (not the review's text). Only the committee's "
            "administrators choose; the history keeps who did and when."
        ),
    )

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["-made_on", "id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.CheckConstraint(
                condition=Q(reviewed_on__isnull=True) | Q(reviewed_on__gte=models.F("made_on")),
                name="commitment_reviewed_after_it_was_made",
                violation_error_message=_("A commitment cannot be reviewed before it was made."),
            ),
            models.CheckConstraint(
                condition=Q(member__isnull=False, branch__isnull=True)
                | Q(member__isnull=True, branch__isnull=False),
                name="commitment_by_a_member_or_a_branch",
                violation_error_message=_(
                    "A commitment is made either by a party member or by a branch."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.member or self.branch} · {self.campaign}"

    @admin.display(boolean=True, description=_("published"))
    def is_published(self):
        """Agrees with CommitmentQuerySet.published(), for one commitment."""
        return self.is_public

    def clean(self):
        # Neither is refused by the form that offers both (an inline row gets its member on
        # saving) and by the database.
        if self.member_id and self.branch_id:
            raise ValidationError(
                _("A commitment is made either by a party member or by a branch.")
            )
        if self.result and not self.reviewed_on:
            raise ValidationError({"reviewed_on": _("Give the day of the review with its result.")})
        campaign = getattr(self, "campaign", None) if self.campaign_id else None
        if campaign is not None and self.made_on and not campaign.covers(self.made_on):
            raise ValidationError(
                {
                    "made_on": _("A commitment is made during its campaign (%(start)s to %(end)s).")
                    % {"start": campaign.start, "end": campaign.end or "…"}
                }
            )


class OrganizationManager(models.Model):
    """Lets a user (a branch secretary's account) record the data of one organisation.

    A manager of a general branch also manages the branches under it; see access.py.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="party_organizations_managed",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        PartyOrganization,
        models.CASCADE,
        related_name="managers",
        verbose_name=_("party organisation"),
    )

    class Meta:
        ordering = ["organization", "user"]
        verbose_name = _("organisation manager")
        verbose_name_plural = _("organisation managers")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"],
                name="one_manager_link_per_user_and_organization",
                violation_error_message=_("This user already manages the organisation."),
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.organization}"


class ReminderLog(models.Model):
    """One reminder sent to one user on one day, so that a second run sends nothing new."""

    class Kind(models.TextChoices):
        DAILY = "daily", _("Daily digest")
        WEEKLY = "weekly", _("Weekly summary")
        DEVELOPMENT = "development", _("Member development deadlines")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="party_reminders",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    sent_on = models.DateField(_("sent on"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "id"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "sent_on"], name="one_reminder_per_user_kind_and_day"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()} · {self.sent_on}"


class OverdueNotice(models.Model):
    """An overdue requirement of one branch and period that a user has been told of.

    The daily digest mentions each overdue item once: a missed yearly meeting is not mailed
    every day of the following year.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="party_overdue_notices",
        verbose_name=_("user"),
    )
    branch = models.ForeignKey(
        PartyOrganization, models.CASCADE, related_name="+", verbose_name=_("branch")
    )
    kind = models.CharField(_("kind of activity"), max_length=40, choices=NOTICE_KIND_CHOICES)
    period_start = models.DateField(_("period starts"))
    sent_on = models.DateField(_("sent on"))

    class Meta:
        ordering = ["-sent_on", "id"]
        verbose_name = _("overdue notice sent")
        verbose_name_plural = _("overdue notices sent")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "branch", "kind", "period_start"],
                name="one_overdue_notice_per_user_branch_kind_and_period",
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.branch} · {self.get_kind_display()} · {self.period_start}"


class DuesCategory(models.TextChoices):
    WORKING = "working", _("In work")
    RETIRED = "retired", _("Retired")


class DuesBand(models.Model):
    """党费 band: members whose monthly base is up to ``up_to_fen`` pay ``rate_bp`` of it.

    Policy data, seeded by a migration with the usual bands and edited by administrators.
    Probationary members pay like full members, so no band names a status.
    """

    category = models.CharField(
        _("members"), max_length=10, choices=DuesCategory.choices, default=DuesCategory.WORKING
    )
    up_to_fen = models.PositiveIntegerField(
        _("monthly base up to (fen)"),
        null=True,
        blank=True,
        help_text=_("In fen (1 yuan = 100 fen), this amount included. Empty: no upper limit."),
    )
    rate_bp = models.PositiveSmallIntegerField(
        _("rate (basis points)"), help_text=_("Hundredths of a percent: 50 is 0.5 %.")
    )

    class Meta:
        ordering = ["category", models.F("up_to_fen").asc(nulls_last=True), "id"]
        verbose_name = _("dues band")
        verbose_name_plural = _("dues bands")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "up_to_fen"],
                name="one_dues_band_per_category_and_limit",
                violation_error_message=_("There is already a band with this limit."),
            ),
            models.CheckConstraint(
                condition=Q(rate_bp__lte=10_000),
                name="dues_rate_at_most_the_whole_base",
                violation_error_message=_("A rate cannot exceed 100 %."),
            ),
        ]

    def __str__(self):
        limit = "∞" if self.up_to_fen is None else f"≤ {dues.yuan(self.up_to_fen)} 元"
        return f"{self.get_category_display()} {limit}: {self.rate_bp / 100:g} %"


class DuesBase(models.Model):
    """A member's monthly base for 党费 (月工资收入), from ``valid_from`` until the next one."""

    member = models.ForeignKey(
        PartyMember, models.CASCADE, related_name="dues_bases", verbose_name=_("party member")
    )
    valid_from = models.DateField(_("from"))
    base_fen = models.PositiveIntegerField(
        _("monthly base (fen)"), help_text=_("In fen (1 yuan = 100 fen).")
    )
    category = models.CharField(
        _("members"), max_length=10, choices=DuesCategory.choices, default=DuesCategory.WORKING
    )

    class Meta:
        ordering = ["member", "-valid_from", "id"]
        verbose_name = _("dues base")
        verbose_name_plural = _("dues bases")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "valid_from"],
                name="one_dues_base_per_member_and_day",
                violation_error_message=_("This member already has a base from this day."),
            )
        ]

    def __str__(self):
        return f"{self.member} · {self.valid_from} · {dues.yuan(self.base_fen)} 元"

    def monthly_dues_fen(self, bands=None) -> int:
        """The monthly dues in 分 under the bands of the member's category."""
        rows = bands if bands is not None else DuesBand.objects.filter(category=self.category)
        return dues.monthly_dues(self.base_fen, [(b.up_to_fen, b.rate_bp) for b in rows])


class DuesPayment(models.Model):
    """党费 paid by one member for one month, recorded by the branch that collected it."""

    member = models.ForeignKey(
        PartyMember, models.PROTECT, related_name="dues_payments", verbose_name=_("party member")
    )
    branch = models.ForeignKey(
        PartyOrganization,
        models.PROTECT,
        related_name="dues_payments",
        limit_choices_to={"kind": PartyOrganization.Kind.BRANCH},
        verbose_name=_("branch"),
    )
    month = models.DateField(_("for the month"), help_text=_("The first day of the month."))
    amount_fen = models.PositiveIntegerField(
        _("amount (fen)"), help_text=_("In fen (1 yuan = 100 fen).")
    )
    paid_on = models.DateField(_("paid on"))

    class Meta:
        ordering = ["-month", "id"]
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "month"],
                name="one_dues_payment_per_member_and_month",
                violation_error_message=_("This member's dues for this month are recorded."),
            )
        ]

    def __str__(self):
        return f"{self.member} · {self.month:%Y-%m} · {dues.yuan(self.amount_fen)} 元"

    def clean(self):
        if self.month and self.month.day != 1:
            raise ValidationError({"month": _("Give the first day of the month.")})
        if self.member_id and self.branch_id and self.month:
            last_day = (self.month + datetime.timedelta(days=31)).replace(day=1) - (
                datetime.timedelta(days=1)
            )
            belongs = (
                Membership.objects.filter(member_id=self.member_id, organization_id=self.branch_id)
                .filter(Q(end__isnull=True) | Q(end__gte=self.month), start__lte=last_day)
                .exists()
            )
            if not belongs:
                raise ValidationError(
                    {"member": _("The member did not belong to this branch in that month.")}
                )


# Every change to party records keeps who changed what, and when; deleted rows stay there too.
for _model in (
    PartyOrganization,
    Officer,
    PartyMember,
    Membership,
    Requirement,
    BranchActivity,
    ActivityAttachment,
    ActivityPhoto,
    Attendance,
    Campaign,
    Commitment,
    OrganizationManager,
    DuesBand,
    DuesBase,
    DuesPayment,
):
    keep_history(_model)

from party_building.models.assessments import *  # noqa: E402, F403
from party_building.models.development import *  # noqa: E402, F403
from party_building.models.terms import *  # noqa: E402, F403
from party_building.models.transfers import *  # noqa: E402, F403
