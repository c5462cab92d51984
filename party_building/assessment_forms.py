"""The forms of the yearly appraisals: a branch's member results, a branch's score sheet."""

from decimal import Decimal

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from party_building import scoring
from party_building.models import (
    AssessmentScore,
    BranchAssessment,
    MemberAppraisal,
    StarThreshold,
)


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class BranchAppraisalForm(forms.Form):
    """One result and one note per member of the branch, 合格 unless recorded otherwise.

    The whole branch is judged at once, so the cap on 优秀 is checked against the members
    appraised, and saved in one transaction with the history of each row.
    """

    def __init__(self, *args, branch, year, members, existing, cap, **kwargs):
        super().__init__(*args, **kwargs)
        self.branch, self.year, self.cap = branch, year, cap
        self.members, self.existing = members, existing
        self.rows = []
        for member in members:
            appraisal = existing.get(member.pk)
            result_name, note_name = f"result-{member.pk}", f"note-{member.pk}"
            self.fields[result_name] = forms.ChoiceField(
                label=_("Result of %(name)s") % {"name": member.person.name},
                choices=MemberAppraisal.Result.choices,
                initial=appraisal.result if appraisal else MemberAppraisal.Result.QUALIFIED,
            )
            self.fields[note_name] = forms.CharField(
                label=_("Note on %(name)s") % {"name": member.person.name},
                required=False,
                max_length=500,
                initial=appraisal.note if appraisal else "",
            )
            self.rows.append((member, self[result_name], self[note_name], appraisal))

    @property
    def allowed(self) -> int:
        return self.cap.allowed(len(self.members)) if self.cap else len(self.members)

    def clean(self):
        cleaned = super().clean()
        results = []
        for member in self.members:
            result = cleaned.get(f"result-{member.pk}")
            note = (cleaned.get(f"note-{member.pk}") or "").strip()
            results.append(result)
            if result == MemberAppraisal.Result.UNQUALIFIED and not note:
                self.add_error(
                    f"note-{member.pk}",
                    _("%(name)s is found unqualified: say how the organisation dealt with it.")
                    % {"name": member.person.name},
                )
        if self.cap is not None:
            over = scoring.excellent_over_cap(results, self.cap.numerator, self.cap.denominator)
            if over:
                raise forms.ValidationError(
                    _(
                        "Too many members found excellent: at most %(share)s of the "
                        "%(members)s members appraised, that is %(allowed)s, may be excellent "
                        "in %(year)s; %(excellent)s are. Change %(over)s of them."
                    )
                    % {
                        "share": self.cap.share,
                        "members": len(self.members),
                        "allowed": self.allowed,
                        "year": self.year,
                        "excellent": self.allowed + over,
                        "over": over,
                    }
                )
        return cleaned

    @transaction.atomic
    def save(self, user):
        """Create or update one row per member; returns how many rows changed."""
        now = timezone.now()
        created, updated = [], []
        for member in self.members:
            result = self.cleaned_data[f"result-{member.pk}"]
            note = self.cleaned_data[f"note-{member.pk}"].strip()
            appraisal = self.existing.get(member.pk)
            if appraisal is None:
                created.append(
                    MemberAppraisal(
                        member=member,
                        branch=self.branch,
                        year=self.year,
                        result=result,
                        note=note,
                        created_by=user,
                        updated_by=user,
                    )
                )
            elif (appraisal.result, appraisal.note, appraisal.branch_id) != (
                result,
                note,
                self.branch.pk,
            ):
                appraisal.result, appraisal.note, appraisal.branch = result, note, self.branch
                appraisal.updated_by, appraisal.updated_at = user, now
                updated.append(appraisal)
        # Kept in the history like rows saved one by one, with who saved them.
        if created:
            bulk_create_with_history(created, MemberAppraisal, default_user=user)
        if updated:
            bulk_update_with_history(
                updated,
                MemberAppraisal,
                ["result", "note", "branch", "updated_by", "updated_at"],
                default_user=user,
            )
        return len(created) + len(updated)


class BranchScoreForm(forms.Form):
    """The score of each item of the year's sheet, and a comment."""

    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, items, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.items, self.assessment = items, assessment
        saved = (
            {score.item_id: score.score for score in assessment.scores.all()} if assessment else {}
        )
        if assessment is not None:
            self.fields["comment"].initial = assessment.comment
        self.item_fields = []
        for item in items:
            name = f"item-{item.pk}"
            self.fields[name] = forms.DecimalField(
                label=item.name,
                # Django's form templates show help text as HTML: escape what was typed.
                help_text=escape(
                    _("%(description)s (at most %(max)s)")
                    % {"description": item.description or item.name, "max": item.max_score}
                ),
                min_value=Decimal(0),
                max_value=item.max_score,
                max_digits=5,
                decimal_places=1,
                initial=saved.get(item.pk),
            )
            self.item_fields.append((item, self[name]))
        # The comment comes after the items.
        self.order_fields([f"item-{item.pk}" for item in items] + ["comment"])

    @transaction.atomic
    def save(self, branch, year, user):
        sheet = [(item.as_item(), self.cleaned_data[f"item-{item.pk}"]) for item in self.items]
        total = scoring.total(sheet)
        max_total = scoring.maximum(item for item, _score in sheet)
        thresholds = StarThreshold.objects.values_list("stars", "min_percent")
        assessment = self.assessment or BranchAssessment(branch=branch, year=year, created_by=user)
        assessment.total, assessment.max_total = total, max_total
        assessment.stars = scoring.stars(total, max_total, thresholds)
        assessment.comment = self.cleaned_data["comment"]
        assessment.updated_by = user
        assessment.save()
        saved = {score.item_id: score for score in assessment.scores.all()}
        for item in self.items:
            value = self.cleaned_data[f"item-{item.pk}"]
            score = saved.get(item.pk)
            if score is None:
                AssessmentScore.objects.create(assessment=assessment, item=item, score=value)
            elif score.score != value:
                score.score = value
                score.save(update_fields=["score"])
        return assessment
