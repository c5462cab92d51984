"""The admin of committee elections (换届选举): administrators record them, secretaries read
their own organisations'. Imported by admin.py."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from party_building import access
from party_building.admin import ScopedAdmin
from party_building.models import CommitteeElection


@admin.register(CommitteeElection)
class CommitteeElectionAdmin(ScopedAdmin):
    list_display = ["organization", "elected_on", "term_years", "term_ends"]
    list_select_related = ["organization"]
    search_fields = ["organization__name"]
    autocomplete_fields = ["organization"]
    date_hierarchy = "elected_on"

    def scope(self, queryset, user):
        return queryset.filter(organization__in=access.organizations_for(user))

    def owner(self, obj):
        return obj.organization if obj.organization_id else None

    @admin.display(description=_("term ends"))
    def term_ends(self, election):
        return election.term_ends
