"""The admin's autocomplete, where the form's own model admin may say what a field offers.

Django's autocomplete answers with the rows of the *linked* model's admin, to a user who may
view that model there. A form may offer rows its users cannot open in that admin: a branch
secretary links an activity to a published party-building report without any right in the
news admin, so the field stayed a select of every such report (15,510 in the demo set: 1.8 s
and 1.7 MB for the activity form).

A model admin that defines ``autocomplete_choices(request, db_field)`` answers for its own
fields: the rows its form offers for that field (``None``: Django's rule), asked by a user who
may add or change its model, searched with the linked admin's search fields. The rows are
the same the form's select offered, and the form still validates against them.
"""

from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.views.autocomplete import AutocompleteJsonView


class FormChoicesAutocompleteJsonView(AutocompleteJsonView):
    choices = None
    source_admin = None

    def process_request(self, request):
        term, model_admin, source_field, to_field_name = super().process_request(request)
        try:
            source_admin = self.admin_site.get_model_admin(source_field.model)
        except NotRegistered:
            source_admin = None
        offered = getattr(source_admin, "autocomplete_choices", None)
        if offered is not None:
            self.choices = offered(request, source_field)
            self.source_admin = source_admin
        return term, model_admin, source_field, to_field_name

    def has_perm(self, request, obj=None):
        if self.choices is None:
            return super().has_perm(request, obj)
        return self.source_admin.has_add_permission(
            request
        ) or self.source_admin.has_change_permission(request)

    def get_queryset(self):
        if self.choices is None:
            return super().get_queryset()
        queryset = self.choices.complex_filter(self.source_field.get_limit_choices_to())
        queryset, use_distinct = self.model_admin.get_search_results(
            self.request, queryset, self.term
        )
        return queryset.distinct() if use_distinct else queryset
