"""Pages of the party members themselves, the secretary's sign-in code, and the campaigns'
public commitments.

A member's pages start from the member linked to the signed-in account
(``selfservice.member_for``), never from an id in the address: an id names a meeting at
most, and a meeting of a branch the member did not belong to that day is a 404.
"""

from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from core import audit
from core.pagecache import cache_public_page
from core.pagination import paginate
from core.twofactor import must_verify, qr_code_svg, second_factor_redirect
from party_building import checkin, dues, selfservice
from party_building.models import (
    Attendance,
    BranchActivity,
    Campaign,
    Commitment,
    Membership,
)
from party_building.views import ActivityScopeMixin

PAGE_SIZE = 20
UPCOMING_SHOWN = 5


# --- Signing in and out ----------------------------------------------------------------------


class MemberLoginView(auth_views.LoginView):
    """The sign-in page for members (the admin's refuses accounts that are not staff)."""

    template_name = "party_building/member_login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return reverse("party_building:my-record")


class MemberLogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("news:home")


# --- The member's own record -----------------------------------------------------------------


class OwnRecordMixin:
    """Signed in (else the sign-in page), verified if the account needs a second factor, and
    linked to a party member (else a page saying so). Never cached."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(
                request.get_full_path(), reverse("party_building:member-login")
            )
        if must_verify(request.user):
            return second_factor_redirect(request)
        self.member = selfservice.member_for(request.user)
        if self.member is None:
            response = render(request, "party_building/member_not_linked.html", status=403)
        else:
            response = super().dispatch(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response


def own_meetings(member):
    """Meetings of the branches ``member`` belonged to on each meeting's day."""
    belonged = Membership.objects.valid_on(OuterRef("date")).filter(
        member=member, organization=OuterRef("branch")
    )
    return BranchActivity.objects.filter(Exists(belonged))


class MyRecordView(OwnRecordMixin, TemplateView):
    template_name = "party_building/my_record.html"

    def get_context_data(self, **kwargs):
        member, today = self.member, timezone.localdate()
        current = (
            Membership.objects.current()
            .filter(member=member)
            .select_related("organization__law_firm")
            .first()
        )
        memberships = Membership.objects.filter(member=member).select_related("organization")
        attendance = (
            Attendance.objects.filter(member=member)
            .select_related("activity")
            .order_by("-activity__date", "-pk")
        )
        upcoming = []
        if current is not None:
            upcoming = list(
                BranchActivity.objects.filter(branch=current.organization_id, date__gte=today)
                .order_by("date", "pk")
                .only("date", "kind", "topic", "place")[:UPCOMING_SHOWN]
            )
        payments, owed, paid_fen, owed_fen = selfservice.own_dues(member, today)
        return super().get_context_data(
            member=member,
            current=current,
            stage=selfservice.stage_of(member),
            memberships=paginate(self.request, memberships, "branches_page", PAGE_SIZE),
            attendance=paginate(self.request, attendance, "meetings_page", PAGE_SIZE),
            upcoming=upcoming,
            payments=[(month, dues.yuan(fen), paid_on) for month, fen, paid_on in payments],
            owed=[(month, dues.yuan(fen)) for month, fen in owed],
            paid_total=dues.yuan(paid_fen),
            owed_total=dues.yuan(owed_fen),
            dues_months=selfservice.DUES_MONTHS,
            **kwargs,
        )


class MyMeetingView(OwnRecordMixin, DetailView):
    """A meeting of the member's branch: the notice and their own attendance, nothing more."""

    template_name = "party_building/my_meeting.html"
    context_object_name = "activity"

    def get_queryset(self):
        return own_meetings(self.member).select_related("branch")

    def get_context_data(self, **kwargs):
        own = Attendance.objects.filter(activity=self.object, member=self.member).first()
        return super().get_context_data(attendance=own, **kwargs)


# --- 签到 (check-in) ---------------------------------------------------------------------------


REFUSALS = {
    checkin.INVALID: lambda: _(
        "This sign-in code is not valid. Scan the code shown at the meeting again."
    ),
    checkin.MOVED: lambda: _(
        "The meeting has been moved to another day, so this code no longer works. "
        "Scan the code shown at the meeting now."
    ),
    checkin.NOT_YET: lambda: _("Signing in to this meeting opens on the day of the meeting."),
    checkin.EXPIRED: lambda: _("This sign-in code has expired: the meeting's day is over."),
}


class CheckInCodeView(ActivityScopeMixin, DetailView):
    """The secretary's screen: the meeting's sign-in code as a QR code, and who has signed in."""

    template_name = "party_building/check_in_code.html"
    context_object_name = "activity"

    def get_context_data(self, **kwargs):
        activity = self.object
        url = self.request.build_absolute_uri(
            reverse("party_building:check-in", args=[checkin.make_token(activity)])
        )
        start, end = checkin.window(activity.date)
        now = timezone.now()
        return super().get_context_data(
            check_in_url=url,
            qr_svg=qr_code_svg(url),
            is_open=start <= now < end,
            is_over=now >= end,
            **kwargs,
        )


class CheckInView(OwnRecordMixin, View):
    """A member records their own presence: GET shows the meeting and a button, POST records.

    Link previews and prefetching only GET, so they never sign anyone in.
    """

    def dispatch(self, request, *args, **kwargs):
        self.token = kwargs["token"]
        return super().dispatch(request, *args, **kwargs)

    def refuse(self, message, status):
        return render(
            self.request, "party_building/check_in.html", {"refusal": message}, status=status
        )

    def meeting(self):
        """The meeting of the code, or a refusal (a response)."""
        try:
            activity_id, day = checkin.read_token(self.token)
            activity = (
                BranchActivity.objects.filter(pk=activity_id).select_related("branch").first()
            )
            if activity is None:
                raise checkin.Refused(checkin.INVALID)
            checkin.check(day, activity.date, timezone.now())
        except checkin.Refused as refused:
            audit.record("check_in_refused", self.request, reason=refused.reason)
            return None, self.refuse(REFUSALS[refused.reason](), 400)
        belongs = (
            Membership.objects.valid_on(activity.date)
            .filter(member=self.member, organization=activity.branch_id)
            .exists()
        )
        if not belongs:
            audit.record("check_in_refused", self.request, reason="other_branch")
            message = _(
                "You are not a member of %(branch)s, so you cannot sign in to its meeting. "
                "Nothing was recorded."
            ) % {"branch": activity.branch.name}
            return None, self.refuse(message, 403)
        return activity, None

    def page(self, activity, **context):
        return render(
            self.request,
            "party_building/check_in.html",
            {"activity": activity, "member": self.member, **context},
        )

    def get(self, request, token):
        activity, refusal = self.meeting()
        if refusal is not None:
            return refusal
        existing = Attendance.objects.filter(activity=activity, member=self.member).first()
        return self.page(activity, existing=existing)

    def post(self, request, token):
        activity, refusal = self.meeting()
        if refusal is not None:
            return refusal
        try:
            with transaction.atomic():
                attendance, created = Attendance.objects.get_or_create(
                    activity=activity,
                    member=self.member,
                    defaults={"status": Attendance.Status.PRESENT},
                )
        except IntegrityError:  # the same member's second request, a moment apart
            attendance, created = (
                Attendance.objects.get(activity=activity, member=self.member),
                False,
            )
        if created:
            audit.record("check_in", request, activity=activity.pk)
        return self.page(activity, existing=attendance, recorded=created)


# --- Public: the campaigns' published commitments ------------------------------------------


@cache_public_page
class PublicCampaignListView(ListView):
    template_name = "party_building/public_campaign_list.html"
    paginate_by = PAGE_SIZE
    context_object_name = "campaigns"

    def get_queryset(self):
        return (
            Campaign.objects.public()
            .annotate(published_count=Count("commitments", filter=Q(commitments__is_public=True)))
            .order_by("-start", "pk")
        )


@cache_public_page
class PublicCampaignView(DetailView):
    """A campaign's published commitments, by branch: name, text, and whether it was kept."""

    template_name = "party_building/public_campaign_detail.html"
    context_object_name = "campaign"

    def get_queryset(self):
        return Campaign.objects.public()

    def get_context_data(self, **kwargs):
        # The branch the member belonged to when they made the commitment.
        branch = (
            Membership.objects.valid_on(OuterRef("made_on"))
            .filter(member=OuterRef("member"))
            .order_by("-start")
            .values("organization__name")[:1]
        )
        commitments = (
            Commitment.objects.published()
            .filter(campaign=self.object)
            # A branch's own commitment is under its name, before its members' ones.
            .annotate(branch_name=Coalesce("branch__name", Subquery(branch)))
            .select_related("member__person")
            .only("text", "made_on", "result", "reviewed_on", "branch", "member__person__name")
            .order_by(
                "branch_name",
                F("member__person__name").asc(nulls_first=True),
                "made_on",
                "pk",
            )
        )
        return super().get_context_data(
            commitments=paginate(self.request, commitments, "page", PAGE_SIZE), **kwargs
        )
