"""组织关系转接 pages: the list, the two request forms, a transfer's page with its buttons, and
the letter (PDF).

Who sees a transfer (``transfers_for``): the committee's administrators, every one; the
secretary of the branch the member leaves, their outgoing transfers; the secretary of the
receiving branch, incoming ones once approved (and the incoming-from-outside ones they
requested). Anyone else gets 404 at every address: list, page, each step, the letter.
Which step a person may take is ``transfer_rules.who_may``, asked for their roles here.
"""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView

from core import audit
from party_building import access
from party_building import transfer_rules as rules
from party_building.models import DuesPayment, Membership, PartyMember, PartyOrganization
from party_building.models.transfers import Transfer
from party_building.views import PartyStaffMixin

PAGE_SIZE = 50
HISTORY_SHOWN = 20


def transfers_for(user):
    """The transfers ``user`` may see: a QuerySet."""
    transfers = Transfer.objects.all()
    if access.sees_everything(user):
        return transfers
    mine = access.organizations_for(user)
    return transfers.filter(
        Q(from_branch__in=mine)
        | Q(to_branch__in=mine) & (Q(approved_at__isnull=False) | Q(kind=Transfer.Kind.INCOMING))
    )


def overdue_transfers(user, today: datetime.date):
    """Approved transfers past their letter's validity that ``user`` may see, oldest first."""
    return (
        transfers_for(user)
        .overdue(today)
        .select_related("member__person", "from_branch", "to_branch")
        .order_by("valid_until", "pk")
    )


def roles_of(user, transfer: Transfer) -> set[rules.Role]:
    """The parts ``user`` plays in ``transfer`` that their permissions let them act in."""
    roles = set()
    if access.sees_everything(user) and user.has_perm("party_building.approve_transfer"):
        roles.add(rules.Role.COMMITTEE)
    if not user.has_perm("party_building.receive_transfer"):
        return roles
    branches = {transfer.from_branch_id, transfer.to_branch_id} - {None}
    mine = set(access.organizations_for(user).filter(pk__in=branches).values_list("pk", flat=True))
    if transfer.from_branch_id in mine:
        roles.add(rules.Role.SENDER)
    if transfer.to_branch_id in mine:
        roles.add(rules.Role.RECEIVER)
    return roles


ACTION_LABELS = {
    rules.Action.APPROVE: gettext_lazy("Approve and issue the letter"),
    rules.Action.RECEIVE: gettext_lazy("Receive the member"),
    rules.Action.REJECT: gettext_lazy("Reject"),
}
OUTGOING_RECEIVE_LABEL = gettext_lazy("Record the returned slip")


def wrong_state_message(transfer: Transfer, action: str) -> str:
    return _(
        "This transfer is now “%(state)s”; “%(action)s” cannot be done. Nothing was changed "
        "(the page may have been out of date, or the button pressed twice)."
    ) % {"state": transfer.get_state_display(), "action": ACTION_LABELS[rules.Action(action)]}


class TransferStaffMixin(PartyStaffMixin):
    permission_required = ("party_building.view_transfer",)

    def get_queryset(self):
        return transfers_for(self.request.user).select_related(
            "member__person", "from_branch", "to_branch"
        )


# --- The list ---------------------------------------------------------------------------


class TransferFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        choices=[("", gettext_lazy("Any")), *Transfer.State.choices],
        required=False,
    )
    overdue = forms.BooleanField(label=gettext_lazy("Overdue only"), required=False)


class TransferListView(TransferStaffMixin, ListView):
    template_name = "party_building/transfer_list.html"
    paginate_by = PAGE_SIZE
    context_object_name = "transfers"

    def get_queryset(self):
        transfers = super().get_queryset()
        self.form = TransferFilterForm(self.request.GET or None)
        if self.form.is_valid():
            if self.form.cleaned_data["state"]:
                transfers = transfers.filter(state=self.form.cleaned_data["state"])
            if self.form.cleaned_data["overdue"]:
                transfers = transfers.overdue(timezone.localdate())
        return transfers.order_by("-requested_at", "-pk")

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            form=self.form,
            today=timezone.localdate(),
            may_request=user.has_perm("party_building.add_transfer")
            and access.branches_for(user).exists(),
            **kwargs,
        )


# --- Requests -----------------------------------------------------------------------------


class OutgoingRequestForm(forms.ModelForm):
    """转出申请: a member of the user's branches, to another branch or outside."""

    class Meta:
        model = Transfer
        fields = ["member", "kind", "to_branch", "external_organization", "reason"]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["member"].queryset = access.members_for(user, current_only=True).select_related(
            "person"
        )
        self.fields["kind"].choices = [
            choice for choice in Transfer.Kind.choices if choice[0] != Transfer.Kind.INCOMING
        ]
        self.fields["to_branch"].queryset = PartyOrganization.objects.filter(
            kind=PartyOrganization.Kind.BRANCH
        )
        self.fields["to_branch"].help_text = _("For a transfer between branches.")
        self.fields["external_organization"].help_text = _(
            "For a transfer outside the association: the receiving organisation, as written."
        )

    def clean(self):
        cleaned = super().clean()
        member = cleaned.get("member")
        if member is not None:
            current = Membership.objects.filter(member=member, end__isnull=True).first()
            if current is None or not access.can_manage(self.user, current.organization):
                raise ValidationError(_("The member does not belong to one of your branches."))
            self.instance.from_branch = current.organization
        if cleaned.get("kind") == Transfer.Kind.OUTGOING:
            self.instance.to_branch = cleaned["to_branch"] = None
        else:
            self.instance.external_organization = cleaned["external_organization"] = ""
        return cleaned


class IncomingRequestForm(forms.ModelForm):
    """A member coming from outside the association: recorded by the receiving branch."""

    class Meta:
        model = Transfer
        fields = ["member", "external_organization", "to_branch", "reason"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.kind = Transfer.Kind.INCOMING
        open_memberships = Membership.objects.filter(end__isnull=True).values("member")
        # Members the committee has recorded who belong to no branch now.
        self.fields["member"].queryset = PartyMember.objects.exclude(
            pk__in=open_memberships
        ).select_related("person")
        self.fields["member"].help_text = _(
            "Members who belong to no branch now. A member new to the association is first "
            "recorded by the committee's administrators."
        )
        self.fields["to_branch"].queryset = access.branches_for(user)
        self.fields["to_branch"].required = True
        self.fields["external_organization"].required = True
        self.fields["external_organization"].label = _("sending organisation")


class RequestView(PartyStaffMixin, FormView):
    permission_required = ("party_building.add_transfer",)
    template_name = "party_building/transfer_request.html"
    form_class = OutgoingRequestForm
    title = gettext_lazy("Request a transfer")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, **kwargs)

    def form_valid(self, form):
        transfer = form.save(commit=False)
        transfer.requested_by = self.request.user
        transfer._history_user = self.request.user
        try:
            with transaction.atomic():
                transfer.save()
        except IntegrityError:
            # A second submit that passed the form's check at the same moment as the first.
            form.add_error(None, _("This member already has a transfer in progress."))
            return self.form_invalid(form)
        audit.record("transfer_request", self.request, transfer=transfer.pk, kind=transfer.kind)
        messages.success(self.request, _("The transfer was requested; the committee approves it."))
        return redirect(transfer)


class IncomingRequestView(RequestView):
    form_class = IncomingRequestForm
    title = gettext_lazy("Record a member coming from outside the association")


# --- One transfer, its steps and its letter ----------------------------------------------


class StepForm(forms.Form):
    day = forms.DateField(
        label=gettext_lazy("Day received"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("The first day in the new organisation."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for rejection"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day is not None and day > timezone.localdate():
            raise ValidationError(_("The day cannot be in the future."))
        return day


class TransferView(TransferStaffMixin, DetailView):
    template_name = "party_building/transfer_detail.html"
    context_object_name = "transfer"

    def get_context_data(self, **kwargs):
        transfer = self.object
        roles = roles_of(self.request.user, transfer)
        actions = rules.available_actions(transfer.state, transfer.kind, roles)
        labels = dict(ACTION_LABELS)
        if transfer.kind == Transfer.Kind.OUTGOING:
            labels[rules.Action.RECEIVE] = OUTGOING_RECEIVE_LABEL
        history = transfer.history.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )[:HISTORY_SHOWN]
        kwargs.setdefault("step_form", StepForm(initial={"day": timezone.localdate()}))
        return super().get_context_data(
            buttons=[(action.value, labels[action]) for action in actions],
            history=history,
            overdue=transfer.is_overdue(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        self.object = transfer = self.get_object()  # 404 for a transfer the user cannot see
        posted = request.POST.get("_action", "")
        if posted not in set(rules.Action):
            return self._refuse(_("Unknown step."), status=400)
        try:
            rules.next_state(transfer.state, posted)
        except rules.WrongState:
            return self._refuse(wrong_state_message(transfer, posted), status=409)
        if not rules.who_may(transfer.state, posted, transfer.kind) & roles_of(
            request.user, transfer
        ):
            raise PermissionDenied
        form = StepForm(request.POST)
        if not form.is_valid():
            return self._refuse(_("Please correct the errors below."), status=400, form=form)
        day, reason = form.cleaned_data["day"], form.cleaned_data["reason"]
        if posted == rules.Action.RECEIVE and day is None:
            form.add_error("day", _("Give the day the member was received."))
            return self._refuse(_("Please correct the errors below."), status=400, form=form)
        if posted == rules.Action.REJECT and not reason.strip():
            form.add_error("reason", _("Give the reason for the rejection."))
            return self._refuse(_("Please correct the errors below."), status=400, form=form)
        try:
            transfer.take(posted, request.user, day=day, reason=reason)
        except rules.WrongState:
            transfer.refresh_from_db()
            return self._refuse(wrong_state_message(transfer, posted), status=409)
        except ValidationError as error:
            return self._refuse(" ".join(error.messages), status=400, form=form)
        audit.record(f"transfer_{posted}", request, transfer=transfer.pk, state=transfer.state)
        messages.success(request, DONE_MESSAGES[rules.Action(posted)])
        return redirect(transfer)

    def _refuse(self, message, *, status, form=None):
        self.object.refresh_from_db()
        context = self.get_context_data(error=message, **({"step_form": form} if form else {}))
        return self.render_to_response(context, status=status)


DONE_MESSAGES = {
    rules.Action.APPROVE: gettext_lazy("Approved; the letter is ready to print."),
    rules.Action.RECEIVE: gettext_lazy("Received; the memberships are updated."),
    rules.Action.REJECT: gettext_lazy("Rejected."),
}


def issuer_of(branch: PartyOrganization | None) -> str:
    """The committee above ``branch`` (the letter's signatory), or the branch itself."""
    organization = branch
    while organization is not None and organization.kind != PartyOrganization.Kind.COMMITTEE:
        organization = organization.parent
    return (organization or branch).name if (organization or branch) else ""


class LetterView(TransferStaffMixin, DetailView):
    """The letter (介绍信) with its 回执, as a PDF; 404 where there is none to print."""

    def get_queryset(self):
        return super().get_queryset().select_related("from_branch__parent__parent")

    def get(self, request, *args, **kwargs):
        transfer = self.get_object()
        if not transfer.has_letter:
            raise Http404
        paid = DuesPayment.objects.filter(member=transfer.member_id).aggregate(last=Max("month"))
        # Imported here: reportlab and Pillow are 17 MB that only a letter needs.
        from party_building import letters

        letter = letters.Letter(
            number=transfer.letter_number,
            member_name=transfer.member.name,
            member_status=transfer.member.get_status_display(),
            destination=transfer.destination_name,
            source_branch=transfer.from_branch.name,
            issuer=issuer_of(transfer.from_branch),
            issued_on=timezone.localdate(transfer.approved_at),
            valid_until=transfer.valid_until,
            dues_paid_until=paid["last"],
        )
        audit.record("transfer_letter", request, transfer=transfer.pk)
        response = HttpResponse(letters.render(letter), content_type="application/pdf")
        filename = f"transfer-letter-{transfer.letter_year}-{transfer.letter_sequence:04d}.pdf"
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response
