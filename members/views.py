from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from members.forms import LawFirmLookupForm, LawyerLookupForm
from members.models import LawFirm, Lawyer
from members.throttling import ThrottledLookupMixin

PAGE_SIZE = 20


class LookupView(ThrottledLookupMixin, ListView):
    """A form over the register: nothing is listed until something is asked for.

    Only a submitted query counts against the client's limit; the empty form is free.
    """

    form_class = None
    paginate_by = PAGE_SIZE

    def is_lookup(self, request):
        return bool(request.GET)

    def get_queryset(self):
        self.form = self.form_class(self.request.GET or None)
        if not self.form.is_valid():
            return self.model.objects.none()
        return self.lookup(self.form.cleaned_data)

    def get_context_data(self, **kwargs):
        return super().get_context_data(form=self.form, **kwargs)


class LawyerLookupView(LookupView):
    model = Lawyer
    form_class = LawyerLookupForm
    template_name = "members/lawyer_lookup.html"

    def lookup(self, query):
        return (
            Lawyer.objects.public()
            .matching(
                name=query["name"], license_number=query["license_number"], firm=query["firm"]
            )
            .order_by("person__name", "firm__name", "license_number")
        )


class LawFirmLookupView(LookupView):
    model = LawFirm
    form_class = LawFirmLookupForm
    template_name = "members/lawfirm_lookup.html"

    def lookup(self, query):
        return LawFirm.objects.matching(name=query["name"], credit_code=query["credit_code"])


class LawFirmView(ThrottledLookupMixin, ListView):
    """A firm's page: its status and its practising lawyers, a page at a time.

    Counted as a lookup, since stepping through the firms' numbers would list the register.
    """

    paginate_by = PAGE_SIZE
    template_name = "members/lawfirm_detail.html"

    def get_queryset(self):
        self.firm = get_object_or_404(LawFirm, pk=self.kwargs["pk"])
        return (
            Lawyer.objects.public()
            .practising()
            .filter(firm=self.firm)
            .order_by("person__name", "license_number")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(firm=self.firm, **kwargs)
