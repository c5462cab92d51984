"""The admin's autocomplete, where a form's field offers what the form itself accepts.

Django's autocomplete answers with the rows of the *linked* model's admin, to a user who may
view that model there. A form may offer rows its users cannot open in that admin: a branch
secretary links an activity to a published party-building report without any right in the
news admin, so the field stayed a select of every such report (15,510 in the demo set: 1.8 s
and 1.7 MB for the activity form).

A model admin lists such fields in ``form_choice_autocomplete_fields`` (they are in its
``autocomplete_fields`` too). For them the answer is the queryset of the form's own field, as
``formfield_for_dbfield`` makes it for the user (the same rows the form validates against),
to a user who may add or change the admin's model, searched with the linked admin's search
fields. Every other field keeps Django's rule.
"""

from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.views.autocomplete import AutocompleteJsonView


class FormChoicesAutocompleteJsonView(AutocompleteJsonView):
    form_admin = None  # the model admin whose form's field answers, if it says so

    def process_request(self, request):
        term, model_admin, source_field, to_field_name = super().process_request(request)
        try:
            source_admin = self.admin_site.get_model_admin(source_field.model)
        except NotRegistered:
            source_admin = None
        if source_field.name in getattr(source_admin, "form_choice_autocomplete_fields", ()):
            self.form_admin = source_admin
        return term, model_admin, source_field, to_field_name

    def has_perm(self, request, obj=None):
        if self.form_admin is None:
            return super().has_perm(request, obj)
        admin = self.form_admin
        return admin.has_add_permission(request) or admin.has_change_permission(request)

    def get_queryset(self):
        if self.form_admin is None:
            return super().get_queryset()
        field = self.form_admin.formfield_for_dbfield(self.source_field, self.request)
        queryset, use_distinct = self.model_admin.get_search_results(
            self.request, field.queryset, self.term
        )
        return queryset.distinct() if use_distinct else queryset
