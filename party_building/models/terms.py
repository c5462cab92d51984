"""换届: each election of a party organisation's committee, with the length of its term.

The rule (when a term ends, when it is due soon) is plain Python in ``party_building.terms``;
this module stores the elections. The term length is kept on each election (3 years by
default, per the 条例 for a 支部委员会), so that a committee elected for another length keeps
its own, and administrators edit it in the admin (换届选举).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history import register as keep_history

from party_building import terms
from party_building.models import PartyOrganization

__all__ = ["CommitteeElection"]


class CommitteeElection(models.Model):
    """One election (换届选举) of an organisation's committee: the day and the term's length."""

    organization = models.ForeignKey(
        PartyOrganization,
        models.PROTECT,
        related_name="elections",
        verbose_name=_("party organisation"),
    )
    elected_on = models.DateField(_("elected on"))
    term_years = models.PositiveSmallIntegerField(
        _("term (years)"),
        default=terms.DEFAULT_TERM_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_(
            "3 years for a branch committee (支部委员会) and a general branch committee under "
            "the regulations; 5 for a primary-level committee."
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["organization", "-elected_on", "id"]
        verbose_name = _("committee election")
        verbose_name_plural = _("committee elections")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "elected_on"],
                name="one_election_per_organization_and_day",
                violation_error_message=_("This organisation already has an election that day."),
            ),
            models.CheckConstraint(
                condition=Q(term_years__gte=1) & Q(term_years__lte=10),
                name="election_term_between_1_and_10_years",
                violation_error_message=_("A term lasts from 1 to 10 years."),
            ),
        ]

    def __str__(self):
        return f"{self.organization} {self.elected_on:%Y-%m-%d}"

    @property
    def term_ends(self):
        return terms.add_years(self.elected_on, self.term_years)


keep_history(CommitteeElection)
