"""The yearly appraisals: 民主评议党员 (each member's result) and 书记述职评议 / 星级评定
(each branch's score sheet and stars).

The policy is data, edited by the committee's administrators: the cap on the share of 优秀
(``AppraisalCap``), the items of the score sheet with their maximum scores
(``AssessmentItem``) and the thresholds of the stars (``StarThreshold``). The arithmetic is
plain Python in ``party_building/scoring.py``.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history import register as keep_history

from core.models import Stamped
from party_building import scoring

from . import Membership, PartyMember, PartyOrganization

__all__ = [
    "AppraisalCap",
    "AssessmentItem",
    "AssessmentScore",
    "BranchAssessment",
    "MemberAppraisal",
    "StarThreshold",
    "members_to_appraise",
]

FIRST_YEAR, LAST_YEAR = 2000, 2100
YEAR_VALIDATORS = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def members_to_appraise(branch, year: int):
    """The members a branch appraises for ``year``: those who belonged to it during the year
    and whose last membership of that year is this branch's (a member transferred during the
    year is appraised once, by the branch they ended the year in)."""
    first, last = year_bounds(year)
    in_year = Membership.objects.filter(Q(end__isnull=True) | Q(end__gte=first), start__lte=last)
    latest = models.Subquery(
        in_year.filter(member=models.OuterRef("pk")).order_by("-start").values("organization")[:1]
    )
    return (
        PartyMember.objects.filter(pk__in=in_year.filter(organization=branch).values("member"))
        .annotate(year_branch=latest)
        .filter(year_branch=branch.pk)
    )


class AppraisalCapQuerySet(models.QuerySet):
    def for_year(self, year: int):
        """The cap in force in ``year``: the row with the latest first year up to it."""
        return self.filter(from_year__lte=year).order_by("-from_year").first()


class AppraisalCap(models.Model):
    """The largest share of a branch's members that may be found 优秀, from a year on."""

    from_year = models.PositiveSmallIntegerField(
        _("from the year"), unique=True, validators=YEAR_VALIDATORS
    )
    numerator = models.PositiveSmallIntegerField(_("at most (numerator)"), default=1)
    denominator = models.PositiveSmallIntegerField(
        _("of (denominator)"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_(
            "At most numerator/denominator of the members appraised, rounded down: "
            "1/3 of 10 members is 3."
        ),
    )

    objects = AppraisalCapQuerySet.as_manager()

    class Meta:
        ordering = ["-from_year"]
        verbose_name = _("cap on 'excellent'")
        verbose_name_plural = _("caps on 'excellent'")
        constraints = [
            models.CheckConstraint(
                condition=Q(denominator__gte=1) & Q(numerator__lte=models.F("denominator")),
                name="appraisal_cap_is_a_share",
                violation_error_message=_("The cap is a share: a numerator up to its denominator."),
            )
        ]

    def __str__(self):
        return _("From %(year)s: at most %(share)s") % {"year": self.from_year, "share": self.share}

    @property
    def share(self) -> str:
        return f"{self.numerator}/{self.denominator}"

    def allowed(self, members: int) -> int:
        return scoring.excellent_allowed(members, self.numerator, self.denominator)


class MemberAppraisal(Stamped):
    """One member's result in the yearly 民主评议党员, recorded by the branch secretary."""

    class Result(models.TextChoices):
        EXCELLENT = scoring.EXCELLENT, _("Excellent")
        QUALIFIED = scoring.QUALIFIED, _("Qualified")
        BASICALLY_QUALIFIED = scoring.BASICALLY_QUALIFIED, _("Basically qualified")
        UNQUALIFIED = scoring.UNQUALIFIED, _("Unqualified")

    member = models.ForeignKey(
        PartyMember, models.PROTECT, related_name="appraisals", verbose_name=_("party member")
    )
    branch = models.ForeignKey(
        PartyOrganization,
        models.PROTECT,
        related_name="member_appraisals",
        limit_choices_to={"kind": PartyOrganization.Kind.BRANCH},
        verbose_name=_("branch"),
        help_text=_("The branch that appraised the member that year."),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    result = models.CharField(
        _("result"), max_length=20, choices=Result.choices, default=Result.QUALIFIED
    )
    note = models.TextField(
        _("note"),
        blank=True,
        help_text=_("Required for 'unqualified': how the organisation dealt with it."),
    )

    class Meta:
        ordering = ["-year", "branch", "member__person__name", "id"]
        verbose_name = _("member appraisal")
        verbose_name_plural = _("member appraisals")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"],
                name="one_appraisal_per_member_and_year",
                violation_error_message=_("This member is already appraised for this year."),
            ),
            models.CheckConstraint(
                condition=~Q(result=scoring.UNQUALIFIED) | ~Q(note=""),
                name="unqualified_appraisal_has_a_note",
                violation_error_message=_(
                    "Say how the organisation dealt with a member found unqualified."
                ),
            ),
        ]
        indexes = [models.Index(fields=["year", "branch"], name="appraisal_year_branch_idx")]

    def __str__(self):
        return f"{self.year} · {self.member} · {self.get_result_display()}"

    def clean(self):
        if self.result == self.Result.UNQUALIFIED and not self.note.strip():
            raise ValidationError(
                {"note": _("Say how the organisation dealt with a member found unqualified.")}
            )


class AssessmentItemQuerySet(models.QuerySet):
    def for_year(self, year: int):
        """The items of the score sheet used in ``year``."""
        return self.filter(
            Q(until_year__isnull=True) | Q(until_year__gte=year), from_year__lte=year
        )


class AssessmentItem(models.Model):
    """An item of the branches' yearly score sheet (书记述职评议 / 星级评定), with its maximum."""

    name = models.CharField(_("item"), max_length=100)
    description = models.CharField(_("what is scored"), max_length=300, blank=True)
    max_score = models.DecimalField(
        _("maximum score"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    from_year = models.PositiveSmallIntegerField(
        _("used from the year"), default=FIRST_YEAR, validators=YEAR_VALIDATORS
    )
    until_year = models.PositiveSmallIntegerField(
        _("used until the year"),
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=_(
            "Empty while the item is used. To change the sheet, end an item with the last "
            "year it was used and add the new one from the next year: past sheets keep theirs."
        ),
    )

    objects = AssessmentItemQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("assessment item")
        verbose_name_plural = _("assessment items")
        constraints = [
            models.CheckConstraint(
                condition=Q(until_year__isnull=True) | Q(until_year__gte=models.F("from_year")),
                name="assessment_item_ends_after_it_starts",
                violation_error_message=_("An item cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(max_score__gt=0),
                name="assessment_item_max_score_positive",
                violation_error_message=_("The maximum score must be above zero."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.max_score})"

    def as_item(self) -> scoring.Item:
        return scoring.Item(self.name, self.max_score)


class StarThreshold(models.Model):
    """The stars a branch's total earns: at least ``min_percent`` of the sheet's maximum."""

    stars = models.PositiveSmallIntegerField(
        _("stars"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    min_percent = models.PositiveSmallIntegerField(
        _("from (% of the maximum)"),
        validators=[MaxValueValidator(100)],
        help_text=_("With a sheet of 100 points, the points themselves."),
    )

    class Meta:
        ordering = ["-stars"]
        verbose_name = _("star threshold")
        verbose_name_plural = _("star thresholds")

    def __str__(self):
        return _("%(stars)s stars from %(percent)s %%") % {
            "stars": self.stars,
            "percent": self.min_percent,
        }


class BranchAssessmentQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)


class BranchAssessment(Stamped):
    """A branch's yearly score sheet (书记述职评议 / 星级评定), scored by the committee."""

    branch = models.ForeignKey(
        PartyOrganization,
        models.PROTECT,
        related_name="assessments",
        limit_choices_to={"kind": PartyOrganization.Kind.BRANCH},
        verbose_name=_("branch"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=1, default=0)
    max_total = models.DecimalField(_("maximum total"), max_digits=6, decimal_places=1, default=0)
    stars = models.PositiveSmallIntegerField(
        _("stars"),
        default=0,
        help_text=_("Derived from the total when the sheet is saved, by the thresholds then."),
    )
    comment = models.TextField(_("comment"), blank=True)

    objects = BranchAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "branch", "id"]
        verbose_name = _("branch assessment")
        verbose_name_plural = _("branch assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "year"],
                name="one_assessment_per_branch_and_year",
                violation_error_message=_("This branch is already assessed for this year."),
            )
        ]

    def __str__(self):
        return f"{self.year} · {self.branch} · {self.total}"

    @property
    def star_text(self) -> str:
        return "★" * self.stars + "☆" * (5 - self.stars)


class AssessmentScore(models.Model):
    """The score one branch's sheet gives one item."""

    assessment = models.ForeignKey(
        BranchAssessment, models.CASCADE, related_name="scores", verbose_name=_("assessment")
    )
    item = models.ForeignKey(
        AssessmentItem, models.PROTECT, related_name="scores", verbose_name=_("item")
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)

    class Meta:
        ordering = ["item__order", "item_id"]
        verbose_name = _("assessment score")
        verbose_name_plural = _("assessment scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "item"], name="one_score_per_assessment_and_item"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0),
                name="assessment_score_not_negative",
                violation_error_message=_("A score cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.item.name}: {self.score}"


for _model in (
    AppraisalCap,
    MemberAppraisal,
    AssessmentItem,
    StarThreshold,
    BranchAssessment,
    AssessmentScore,
):
    keep_history(_model)
