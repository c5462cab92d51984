"""Who may open and post what: every admin and site URL, for every role, against one table.

Roles: anonymous, editor (编辑), reviewer (审核), a branch secretary (支部书记, managing branch
A only), a member administrator (every members permission and the register import) and a
superuser. URLs: for every model in the admin its changelist, add, change, delete, history
and old-version (restore) pages for one record, the admin's own extra pages (article
extract, register import, two-factor device pages), and every URL of config.urls outside the
admin with the ids of created records. Each is asked with GET and with a POST.

What is expected comes from RIGHTS below, written down from the rules (groups in the data
migrations, workflow.py, access.py, "only a superuser deletes"), not read back from the
code; a difference fails with the list of every URL, method, expected and actual status.
"""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from members.models import Organization
from news.models import Article, Column, Event, ExtractionProposal, Source, Speech
from party_building import checkin
from party_building.models import (
    ActivityAttachment,
    BranchActivity,
    Campaign,
    Commitment,
    CommitteeElection,
    DuesBand,
    DuesBase,
    DuesPayment,
    Membership,
    OrganizationManager,
    PartyMember,
    PartyOrganization,
    ReminderLog,
    Requirement,
)
from party_building.models.assessments import (
    AppraisalCap,
    AssessmentItem,
    BranchAssessment,
    MemberAppraisal,
    StarThreshold,
)
from party_building.models.development import DevelopmentRule
from party_building.models.transfers import Transfer, TransferPolicy
from tests.factories import UserFactory
from tests.members.factories import LawFirmFactory, LawyerFactory, PersonFactory
from tests.news.factories import ArticleFactory
from tests.party_building.factories import (
    ActivityFactory,
    BranchFactory,
    CommitmentFactory,
    CommitteeFactory,
    development_record,
    member_of,
    party_article,
    secretary_of,
)
from tests.security.unrecorded import templates_not_recorded  # noqa: F401 (no test reads it)

pytestmark = [
    pytest.mark.django_db,
    # The source form's URLField warns that Django 6 will assume https; the suite turns
    # Django's deprecation warnings into errors. Access, not that warning, is tested here.
]

ROLES = ["anonymous", "editor", "reviewer", "secretary", "member_admin", "superuser"]
STAFF = ROLES[1:]

# --- What each role may do in the admin ----------------------------------------------------------

# v(iew) a(dd) c(hange) d(elete) per model and role; a role not named may do nothing there.
# The superuser may do everything but what a model's admin forbids to all (SUPERUSER).
RIGHTS = {
    "auth.group": {},
    "auth.user": {},
    "axes.accessattempt": {},
    "axes.accesslog": {},
    "axes.accessfailurelog": {},
    "otp_totp.totpdevice": {},
    "otp_static.staticdevice": {},
    # The person, event and speech below are named by a published report: who may not
    # publish reads them, only a reviewer changes them (the organisation is in no report).
    "members.person": {
        "editor": "va",
        "reviewer": "vac",
        "secretary": "va",
        "member_admin": "va",
    },
    "members.organization": {"editor": "vac", "reviewer": "vac", "member_admin": "vac"},
    "members.lawfirm": {"member_admin": "vac"},
    "members.lawyer": {"member_admin": "vac"},
    "news.column": {"editor": "v", "reviewer": "v"},
    "news.source": {"editor": "va", "reviewer": "va"},
    # The record is a published article: an editor reads it, only a reviewer changes it.
    "news.article": {"editor": "va", "reviewer": "vac"},
    "news.event": {"editor": "va", "reviewer": "vac"},
    "news.speech": {"editor": "va", "reviewer": "vac"},
    # The queue of names found in imported articles: judged by whoever may change articles.
    "news.extractionproposal": {"editor": "vc", "reviewer": "vc"},
    "party_building.partyorganization": {"secretary": "v"},
    "party_building.partymember": {"secretary": "vac"},
    "party_building.membership": {"secretary": "vac"},
    "party_building.branchactivity": {"secretary": "vac"},
    "party_building.campaign": {"secretary": "v"},
    "party_building.commitment": {"secretary": "vac"},
    "party_building.requirement": {"secretary": "v"},
    "party_building.duesband": {"secretary": "v"},
    "party_building.duesbase": {"secretary": "vac"},
    "party_building.duespayment": {"secretary": "vac"},
    "party_building.organizationmanager": {},
    "party_building.reminderlog": {},
    "party_building.developmentrecord": {"secretary": "vac"},
    "party_building.developmentrule": {"secretary": "v"},
    "party_building.transferpolicy": {},
    # 换届: the committee records elections; a secretary reads their organisations'.
    "party_building.committeeelection": {"secretary": "v"},
    # Results and sheets are recorded on the appraisal pages; the admin lists them.
    "party_building.appraisalcap": {"secretary": "v"},
    "party_building.assessmentitem": {"secretary": "v"},
    "party_building.starthreshold": {"secretary": "v"},
    "party_building.memberappraisal": {"secretary": "v"},
    "party_building.branchassessment": {"secretary": "v"},
}
# Access attempts are made by logins, reminder logs by the reminder command: nobody adds
# them in the admin, and reminder logs are never changed.
SUPERUSER = {"axes.accessattempt": "vcd", "axes.accesslog": "vcd", "axes.accessfailurelog": "vcd",
             "party_building.reminderlog": "vd",
             "party_building.developmentrule": "vcd",  # one row per rule, seeded
             "party_building.transferpolicy": "vcd",  # one row, seeded
             "party_building.memberappraisal": "vd",  # recorded on the appraisal pages
             "party_building.branchassessment": "vd",
             "news.extractionproposal": "vc"}  # fmt: skip
# A party record outside a user's organisations is not there at all: 404 on its own pages
# (for the secretary of another branch, and for staff with no party organisation).
SCOPED = {
    "party_building.partyorganization",
    "party_building.partymember",
    "party_building.membership",
    "party_building.branchactivity",
    "party_building.commitment",
    "party_building.duesbase",
    "party_building.duespayment",
    "party_building.developmentrecord",
    "party_building.memberappraisal",
    "party_building.branchassessment",
    "party_building.committeeelection",
}


def rights(role, label):
    if role == "superuser":
        return SUPERUSER.get(label, "vacd")
    return RIGHTS[label].get(role, "")


OK_POST = {200, 302}  # a form shown again with its errors, or a redirect after the action


def expected_admin(role, label, kind, method, *, other_branch=True):
    """The status (or set of statuses) for ``kind`` of ``label``'s admin, asked by ``role``."""
    if role == "anonymous":
        return "login"
    may = rights(role, label)
    reads = "v" in may or "c" in may
    if (
        role != "superuser"
        and label in SCOPED
        and other_branch
        and kind in {"change", "delete", "history", "revert"}
    ):
        return 404
    if kind == "changelist":
        return (200 if method == "GET" else OK_POST) if reads else 403
    if kind == "add":
        return 200 if "a" in may else 403
    if kind == "change":
        if method == "GET":
            return 200 if reads else 403
        return OK_POST if "c" in may else 403
    if kind == "delete":
        if method == "GET":
            return 200 if "d" in may else 403
        return OK_POST if "d" in may else 403
    if kind == "history":
        return 200 if reads else 403
    if kind == "revert":  # an old version's form: read it with view, restore it with change
        if method == "GET":
            return 200 if reads else 403
        if "c" not in may:
            return 403
        # An article's restore brings its content back at once and returns to its form;
        # other records show django-simple-history's form again.
        return 302 if label == "news.article" else 200
    raise ValueError(kind)


# --- The records ------------------------------------------------------------------------------


@pytest.fixture
def users(editor, reviewer, superuser):
    member_admin = UserFactory(username="register-admin", is_staff=True)
    member_admin.user_permissions.set(Permission.objects.filter(content_type__app_label="members"))
    return {
        "anonymous": None,
        "editor": editor,
        "reviewer": reviewer,
        "member_admin": member_admin,
        "superuser": superuser,
    }


@pytest.fixture
def world(users, settings):
    settings.LOOKUP_RATE_LIMIT = 100_000
    committee = CommitteeFactory()
    a = BranchFactory(name="甲所党支部", parent=committee)
    b = BranchFactory(name="乙所党支部", parent=committee)
    users["secretary"] = secretary_of(a, username="secretary-a")
    secretary_b = secretary_of(b, username="secretary-b", email="b@example.org")
    member_a = member_of(a, member__person__name="甲所党员")
    member_b = member_of(b, member__person__name="乙所党员")
    campaign = Campaign.objects.create(name="创先争优活动", start=datetime.date(2010, 4, 1))
    activity_a = ActivityFactory(branch=a, article=party_article(title="甲所报道"))
    activity_b = ActivityFactory(branch=b, article=party_article(title="乙所报道"))
    ActivityAttachment.objects.create(
        activity=activity_b, title="纪要", file=ContentFile(b"%PDF-1.7\n%%EOF\n", name="x.pdf")
    )
    requirement = Requirement.objects.first()
    requirement.save()  # an old version to restore
    star_threshold = StarThreshold.objects.first()
    star_threshold.save()
    article = ArticleFactory(status=Article.Status.PUBLISHED)
    organizer = Organization.objects.create(name="市律师协会")  # public through the report
    event = Event.objects.create(
        name="座谈会", start_date=datetime.date(2024, 3, 1), organizer=organizer
    )
    person = PersonFactory(name="吴某")
    speech = Speech.objects.create(speaker=person, event=event, title="讲话")
    article.events.add(event)
    article.speeches.add(speech)
    firm = LawFirmFactory()
    target = UserFactory(username="target", is_staff=True)
    attempt = {"user_agent": "ua", "ip_address": "10.0.0.1", "username": "target",
               "http_accept": "*/*", "path_info": "/admin/login/"}  # fmt: skip
    records = {
        "auth.group": Group.objects.get(name="编辑"),
        "auth.user": target,
        "axes.accessattempt": AccessAttempt.objects.create(
            **attempt, get_data="", post_data="", failures_since_start=1
        ),
        "axes.accesslog": AccessLog.objects.create(**attempt),
        "axes.accessfailurelog": AccessFailureLog.objects.create(**attempt),
        "otp_totp.totpdevice": TOTPDevice.objects.create(user=target, name="phone"),
        "otp_static.staticdevice": StaticDevice.objects.create(user=target, name="recovery"),
        "members.person": person,
        "members.organization": Organization.objects.create(name="司法部"),
        "members.lawfirm": firm,
        "members.lawyer": LawyerFactory(firm=firm),
        "news.column": Column.objects.get(slug="notices"),
        "news.source": Source.objects.get(name="本站原创"),
        "news.article": article,
        "news.event": event,
        "news.speech": speech,
        "news.extractionproposal": ExtractionProposal.objects.create(
            article=article, kind="person", name="吴某", post="部长", role="attendee"
        ),
        # Branch B's records: another branch, for the secretary of A.
        "party_building.partyorganization": b,
        "party_building.partymember": member_b,
        "party_building.membership": member_b.memberships.get(),
        "party_building.branchactivity": activity_b,
        "party_building.campaign": campaign,
        # Published, so that the campaign's public page is there to walk.
        "party_building.commitment": CommitmentFactory(
            member=member_b, campaign=campaign, is_public=True
        ),
        "party_building.requirement": requirement,
        # Created here rather than read from the seed, so that it has a history to revert to.
        "party_building.duesband": DuesBand.objects.create(
            category="retired", up_to_fen=123_400, rate_bp=50
        ),
        "party_building.duesbase": DuesBase.objects.create(
            member=member_b, valid_from=datetime.date(2024, 1, 1), base_fen=800_000
        ),
        "party_building.duespayment": DuesPayment.objects.create(
            member=member_b,
            branch=b,
            month=datetime.date(2024, 1, 1),
            amount_fen=12_000,
            paid_on=datetime.date(2024, 1, 10),
        ),
        "party_building.organizationmanager": OrganizationManager.objects.get(user=secretary_b),
        "party_building.reminderlog": ReminderLog.objects.create(
            user=secretary_b, kind="daily", sent_on=datetime.date(2024, 2, 1)
        ),
        "party_building.developmentrecord": development_record(b, "probationary"),
        "party_building.developmentrule": DevelopmentRule.objects.first(),
        "party_building.transferpolicy": TransferPolicy.current(),
        # Created here rather than read from the seed, so that they have a history.
        "party_building.appraisalcap": AppraisalCap.objects.create(from_year=2030),
        "party_building.assessmentitem": AssessmentItem.objects.create(name="品牌", max_score=5),
        "party_building.starthreshold": star_threshold,
        "party_building.memberappraisal": MemberAppraisal.objects.create(
            member=member_b, branch=b, year=2024
        ),
        "party_building.branchassessment": BranchAssessment.objects.create(branch=b, year=2024),
        "party_building.committeeelection": CommitteeElection.objects.create(
            organization=b, elected_on=datetime.date(2023, 5, 4)
        ),
    }
    own = {
        "party_building.partyorganization": a,
        "party_building.partymember": member_a,
        "party_building.membership": member_a.memberships.get(),
        "party_building.branchactivity": activity_a,
        "party_building.commitment": CommitmentFactory(member=member_a, campaign=campaign),
        "party_building.duesbase": DuesBase.objects.create(
            member=member_a, valid_from=datetime.date(2024, 1, 1), base_fen=800_000
        ),
        "party_building.duespayment": DuesPayment.objects.create(
            member=member_a,
            branch=a,
            month=datetime.date(2024, 1, 1),
            amount_fen=12_000,
            paid_on=datetime.date(2024, 1, 10),
        ),
        "party_building.developmentrecord": development_record(a),
        "party_building.memberappraisal": MemberAppraisal.objects.create(
            member=member_a, branch=a, year=2024
        ),
        "party_building.branchassessment": BranchAssessment.objects.create(branch=a, year=2024),
        "party_building.committeeelection": CommitteeElection.objects.create(
            organization=a, elected_on=datetime.date(2023, 5, 4)
        ),
    }
    return {
        "users": users,
        "records": records,
        "own": own,
        "a": a,
        "b": b,
        "article": article,
        "event": event,
        "speech": speech,
        "person": person,
        "organization": organizer,
        "firm": firm,
        "activity_a": activity_a,
        "activity_b": activity_b,
        # Branch B's member on the way to a third branch, approved: nothing of branch A's.
        "transfer_b": Transfer.objects.create(
            member=member_b, from_branch=b, to_branch=BranchFactory(parent=committee)
        ).take("approve", users["superuser"]),
    }


def label_of(model):
    return model._meta.label_lower


def test_the_table_names_every_model_in_the_admin():
    assert {label_of(model) for model in admin.site._registry} == set(RIGHTS)


def test_the_walk_has_a_record_of_every_model_in_the_admin(world):
    assert set(world["records"]) == set(RIGHTS)


# --- Asking ---------------------------------------------------------------------------------


def client_for(role, world):
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


def matches(response, expected):
    if expected == "login":
        return response.status_code == 302 and response["Location"].startswith("/admin/login/")
    if expected == "member-login":
        return response.status_code == 302 and response["Location"].startswith("/party/me/sign-in/")
    if isinstance(expected, set):
        return response.status_code in expected
    return response.status_code == expected


def ask(client, method, url, data=None):
    if method == "GET":
        return client.get(url)
    return client.post(url, data or {})


class Walk:
    """Collects every answer that differs from the table, to report them all at once."""

    def __init__(self, client):
        self.client = client
        self.asked = 0
        self.wrong = []

    def check(self, method, url, expected, data=None):
        response = ask(self.client, method, url, data)
        self.asked += 1
        if not matches(response, expected):
            location = response.get("Location", "")
            self.wrong.append((method, url, expected, response.status_code, location))
        return response


def admin_url(label, view, *args):
    return reverse(f"admin:{label.replace('.', '_')}_{view}", args=args)


def has_history(model):
    return hasattr(model._meta, "simple_history_manager_attribute")


def walk_admin(walk, role, world):
    for model in admin.site._registry:
        label = label_of(model)
        record = world["records"][label]
        urls = {
            "changelist": admin_url(label, "changelist"),
            "add": admin_url(label, "add"),
            "change": admin_url(label, "change", record.pk),
            "history": admin_url(label, "history", record.pk),
        }
        if has_history(model):
            history = getattr(record, model._meta.simple_history_manager_attribute)
            if not history.exists():  # a row seeded by a migration has no version yet
                record.save()
            version = history.first()
            urls["revert"] = admin_url(label, "simple_history", record.pk, version.history_id)
        for kind, url in urls.items():
            for method in ("GET", "POST"):
                walk.check(method, url, expected_admin(role, label, kind, method))
        # Deleting, by the changelist's action and by the delete page, comes last. The
        # superuser is shown the confirmation (no "post"); everybody else tries to delete.
        confirm = {} if role == "superuser" else {"post": "yes"}
        walk.check(
            "POST",
            urls["changelist"],
            expected_admin(role, label, "changelist", "POST"),
            {"action": "delete_selected", "_selected_action": [record.pk], **confirm},
        )
        delete = admin_url(label, "delete", record.pk)
        walk.check("GET", delete, expected_admin(role, label, "delete", "GET"))
        if role != "superuser":
            walk.check(
                "POST", delete, expected_admin(role, label, "delete", "POST"), {"post": "yes"}
            )
            assert model.objects.filter(pk=record.pk).exists(), (role, label)


def walk_own_branch(walk, world):
    """The secretary's own branch: read and changed, never deleted."""
    for label, record in world["own"].items():
        may = rights("secretary", label)
        for kind in ("change", "history"):
            walk.check("GET", admin_url(label, kind, record.pk), 200)
        if "c" in may:
            walk.check("POST", admin_url(label, "change", record.pk), 200)
        walk.check("POST", admin_url(label, "delete", record.pk), 403, {"post": "yes"})
        assert type(record).objects.filter(pk=record.pk).exists()


def walk_admin_extras(walk, role, world):
    """The admin's own pages beyond the five of every model."""
    article = world["article"]
    extract = reverse("admin:news_article_extract", args=[article.pk])
    may_extract = role in {"reviewer", "superuser"}  # change this article, record events
    may_import = role in {"member_admin", "superuser"}
    may_preview = role in {"editor", "reviewer", "superuser"}
    may_import_articles = may_preview  # whoever may add and change articles
    device = world["records"]["otp_totp.totpdevice"]
    target = world["records"]["auth.user"]
    pages = [
        (reverse("admin:auth_user_password_change", args=[target.pk]), "GET",
         200 if role == "superuser" else 403),
        (reverse("admin:auth_user_password_change", args=[target.pk]), "POST",
         200 if role == "superuser" else 403),
        (extract, "GET", 200 if may_extract else 403),
        (extract, "POST", 200 if may_extract else 403),
        # Preview: whoever may change articles, for drafts and old versions alike.
        (reverse("admin:news_article_preview", args=[article.pk]), "GET",
         200 if may_preview else 403),
        (reverse("admin:news_article_version_preview",
                 args=[article.pk, article.history.first().history_id]), "GET",
         200 if may_preview else 403),
        (reverse("admin:index"), "GET", 200),
        (reverse("admin:news_legacy_import"), "GET", 200 if may_import_articles else 403),
        (reverse("admin:news_legacy_recognise"), "GET", 405),
        (reverse("admin:news_legacy_recognise"), "POST", 302 if may_import_articles else 403),
        (reverse("admin:otp_totp_totpdevice_config", args=[device.pk]), "GET",
         200 if role == "superuser" else 403),
        (reverse("admin:otp_totp_totpdevice_qrcode", args=[device.pk]), "GET",
         200 if role == "superuser" else 403),
    ]  # fmt: skip
    for model in ("lawfirm", "lawyer"):
        pages += [
            (reverse(f"admin:members_{model}_import"), "GET", 200 if may_import else 403),
            (reverse(f"admin:members_{model}_import"), "POST", 200 if may_import else 403),
            # The confirmation takes a POST only, whoever asks.
            (reverse(f"admin:members_{model}_import_confirm"), "GET", 405),
            (reverse(f"admin:members_{model}_import_confirm"), "POST", 302 if may_import else 403),
        ]
    for url, method, expected in pages:
        if role == "anonymous":
            expected = "login"
        walk.check(method, url, expected)


# Custom admin URL names, beyond the ones every ModelAdmin has.
KNOWN_ADMIN_VIEWS = {"changelist", "add", "change", "delete", "history", "simple_history",
                     "extract", "preview", "version_preview", "import", "import_confirm",
                     "config", "qrcode", "news_legacy_import", "news_legacy_import_confirm",
                     "news_legacy_recognise",
                     "password_change"}  # fmt: skip


def test_every_admin_url_of_every_model_is_walked():
    for model, model_admin in admin.site._registry.items():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        for pattern in model_admin.get_urls():
            if pattern.name:
                assert pattern.name.removeprefix(prefix) in KNOWN_ADMIN_VIEWS, pattern.name


# --- The site's URLs outside the admin ---------------------------------------------------------


def site_patterns():
    """(name, pattern) of every URL of config.urls outside the admin."""

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                yield f"{namespace}{pattern.name}"

    return list(walk(get_resolver().url_patterns))


# Who gets what, by kind of URL: "public" pages answer everybody; "party" pages need a staff
# account with a party organisation; "account" pages need a login.
PUBLIC, PARTY, ACCOUNT = "public", "party", "account"
# A party member's own pages: the members' sign-in page for anonymous visitors, 403 for an
# account linked to no party member (whatever the method).
MEMBER = "member"


def site_urls(world):
    """name -> (address, kind, answers to POST as well)."""
    article, event, speech = world["article"], world["event"], world["speech"]
    local = article.published_at.astimezone(datetime.UTC)
    b = world["b"]
    return {
        "robots": ("/robots.txt", PUBLIC, False),
        "sitemap-index": ("/sitemap.xml", PUBLIC, False),
        "sitemap-section": (reverse("sitemap-section", args=["articles"]), PUBLIC, False),
        "core:healthz": (reverse("core:healthz"), PUBLIC, False),
        "core:editor-image-upload": (reverse("core:editor-image-upload"), "upload", None),
        "core:2fa-setup": (reverse("core:2fa-setup"), ACCOUNT, True),
        "core:2fa-verify": (reverse("core:2fa-verify"), ACCOUNT, True),
        "news:home": ("/", PUBLIC, False),
        "news:article-read": (reverse("news:article-read", args=[article.pk]), "beacon", None),
        "favicon": ("/favicon.ico", "redirect", None),
        "news:article-list": ("/news/", PUBLIC, False),
        "news:archive": ("/archive/", PUBLIC, False),
        "news:year": (f"/archive/{local.year}/", PUBLIC, False),
        "news:month": (f"/archive/{local.year}/{local.month:02d}/", PUBLIC, False),
        "news:article": (article.get_absolute_url(), PUBLIC, False),
        "news:column": ("/columns/notices/", PUBLIC, False),
        "news:search": ("/search/?q=会议", PUBLIC, False),
        "news:feeds": ("/feeds/", PUBLIC, False),
        "news:feed-rss": ("/feeds/rss/", PUBLIC, False),
        "news:feed-atom": ("/feeds/atom/", PUBLIC, False),
        "news:column-feed-rss": ("/feeds/columns/notices/rss/", PUBLIC, False),
        "news:column-feed-atom": ("/feeds/columns/notices/atom/", PUBLIC, False),
        "news:event-list": ("/events/", PUBLIC, False),
        "news:event": (event.get_absolute_url(), PUBLIC, False),
        "news:speech-list": ("/speeches/", PUBLIC, False),
        "news:speech": (speech.get_absolute_url(), PUBLIC, False),
        "news:person": (reverse("news:person", args=[world["person"].pk]), PUBLIC, False),
        "news:organization": (
            reverse("news:organization", args=[world["organization"].pk]),
            PUBLIC,
            False,
        ),
        "members:lawyer-lookup": ("/lawyers/lookup/?name=吴某", PUBLIC, False),
        "members:firm-lookup": ("/firms/lookup/?name=律师事务所", PUBLIC, False),
        "members:firm": (world["firm"].get_absolute_url(), PUBLIC, False),
        "party_building:board": (reverse("party_building:board"), PARTY, False),
        "party_building:board-xlsx": (reverse("party_building:board-xlsx"), PARTY, False),
        "party_building:board-csv": (reverse("party_building:board-csv"), PARTY, False),
        # The board's other tabs: 换届 stands for them all (same view, same access).
        "party_building:board-tab": (
            reverse("party_building:board-tab", args=["terms"]),
            PARTY,
            False,
        ),
        "party_building:board-tab-xlsx": (
            reverse("party_building:board-tab-xlsx", args=["terms"]),
            PARTY,
            False,
        ),
        "party_building:board-tab-csv": (
            reverse("party_building:board-tab-csv", args=["terms"]),
            PARTY,
            False,
        ),
        "party_building:branch": (b.get_absolute_url(), "party-other", False),
        "party_building:activity-list": (reverse("party_building:activity-list"), PARTY, False),
        "party_building:activities-xlsx": (
            reverse("party_building:activities-xlsx"),
            PARTY,
            False,
        ),
        "party_building:activities-csv": (reverse("party_building:activities-csv"), PARTY, False),
        "party_building:activity": (
            world["activity_b"].get_absolute_url(),
            "party-other",
            False,
        ),
        # A private file of branch B's activity: the same rule as the activity's page.
        "party_building:activity-file": (
            ActivityAttachment.objects.get(activity=world["activity_b"]).file.url,
            "party-other",
            False,
        ),
        "party_building:public-branch-list": ("/party/public/branches/", PUBLIC, False),
        "party_building:public-branch": (b.get_public_url(), PUBLIC, False),
        "party_building:public-campaign-list": ("/party/public/campaigns/", PUBLIC, False),
        "party_building:public-campaign": (
            world["records"]["party_building.campaign"].get_absolute_url(),
            PUBLIC,
            False,
        ),
        # A member's own pages: no role here is linked to a party member.
        "party_building:my-record": (reverse("party_building:my-record"), MEMBER, False),
        "party_building:my-meeting": (
            reverse("party_building:my-meeting", args=[world["activity_b"].pk]),
            MEMBER,
            False,
        ),
        "party_building:check-in": (
            reverse("party_building:check-in", args=[checkin.make_token(world["activity_b"])]),
            MEMBER,
            True,
        ),
        "party_building:member-login": (reverse("party_building:member-login"), "sign-in", None),
        "party_building:member-logout": (reverse("party_building:member-logout"), "sign-out", None),
        "party_building:check-in-code": (
            reverse("party_building:check-in-code", args=[world["activity_b"].pk]),
            "party-other",
            False,
        ),
        "party_building:appraisals": (reverse("party_building:appraisals"), PARTY, False),
        "party_building:appraisals-xlsx": (
            reverse("party_building:appraisals-xlsx", args=[2024]),
            PARTY,
            False,
        ),
        # Branch B's results: a form (a POST without data is bad input); its score: the
        # committee's only.
        "party_building:appraisal-branch": (
            reverse("party_building:appraisal-branch", args=[2024, b.pk]),
            "form-other",
            None,
        ),
        "party_building:assessment": (
            reverse("party_building:assessment", args=[2024, b.pk]),
            "committee-form",
            None,
        ),
        "party_building:transfer-list": (reverse("party_building:transfer-list"), PARTY, False),
        "party_building:transfer-request": (
            reverse("party_building:transfer-request"),
            "party-form",
            None,
        ),
        "party_building:transfer-incoming": (
            reverse("party_building:transfer-incoming"),
            "party-form",
            None,
        ),
        "party_building:transfer": (world["transfer_b"].get_absolute_url(), "transfer-other", None),
        "party_building:transfer-letter": (
            reverse("party_building:transfer-letter", args=[world["transfer_b"].pk]),
            "party-other",
            False,
        ),
    }


def expected_site(role, kind, method, takes_post):
    if kind == PUBLIC:
        if method == "GET":
            return 200
        return 200 if takes_post else 405  # feeds and sitemaps too: GET and HEAD only
    if kind == "beacon":  # the read counter: POST only, for everybody, answers nothing
        return 405 if method == "GET" else 204
    if kind == "redirect":  # to a static file
        return 302 if method == "GET" else 405
    if kind == "upload":  # POST only; for who may write rich text; this POST carries no file
        if method == "GET":
            return 405
        return 403 if role in {"anonymous", "member_admin"} else 400
    if kind == "sign-in":  # a signed-in account is sent on to its own record
        return 200 if role == "anonymous" else 302
    if kind == "sign-out":
        return 405 if method == "GET" else 302
    if kind == MEMBER:
        return "member-login" if role == "anonymous" else 403
    if role == "anonymous":
        return "login"
    if kind == ACCOUNT:
        return 200
    party = role in {"secretary", "superuser"}
    if not party:
        return 403
    if kind == "party-form":  # a POST without data shows the form again with its errors
        return 200
    if kind == "committee-form":  # the committee's form: a POST without data is bad input
        if role == "secretary":
            return 403
        return 200 if method == "GET" else 400
    if kind in {"transfer-other", "form-other"}:  # branch B's transfer or form; a POST
        # naming no step or with no data is bad input
        if role == "secretary":
            return 404
        return 200 if method == "GET" else 400
    if method == "POST":
        return 405
    if kind == "party-other":  # branch B's pages: not there for the secretary of A
        return 404 if role == "secretary" else 200
    return 200


def test_every_url_of_the_site_is_in_the_walk(world):
    assert set(site_patterns()) == set(site_urls(world))


def walk_site(walk, role, world):
    for address, kind, takes_post in site_urls(world).values():
        # Signing out would end the walk's session: its POST is tested on its own.
        for method in ("GET",) if kind == "sign-out" else ("GET", "POST"):
            walk.check(method, address, expected_site(role, kind, method, takes_post))
    if role == "secretary":
        walk.check("GET", world["a"].get_absolute_url(), 200)
        walk.check("GET", world["activity_a"].get_absolute_url(), 200)


# --- The matrix -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_the_table_says(world, role):
    walk = Walk(client_for(role, world))
    walk_site(walk, role, world)
    walk_admin_extras(walk, role, world)
    walk_admin(walk, role, world)
    if role == "secretary":
        walk_own_branch(walk, world)
    assert walk.asked > 250
    assert not walk.wrong, "\n".join(map(str, walk.wrong))


# --- What the table cannot say: outcomes --------------------------------------------------------


def test_an_editor_cannot_publish_by_action_form_or_old_version(client, world):
    editor = world["users"]["editor"]
    client.force_login(editor)
    draft = ArticleFactory(status=Article.Status.DRAFT, title="草稿")
    client.post(
        admin_url("news.article", "changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    form = {
        "title": "草稿",
        "subtitle": "",
        "column": draft.column_id,
        "source": draft.source_id,
        "author": "",
        "published_at_0": "2024-03-01",
        "published_at_1": "09:00:00",
        "body": "<p>正文</p>",
        "summary": "",
        "_action": "publish",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
    }
    assert client.post(admin_url("news.article", "change", draft.pk), form).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    # A published article's first version was a draft: restoring it would change the
    # published article, which only a reviewer may.
    published = world["article"]
    published.title = "已发布的标题"
    published.save()
    first = published.history.last()
    url = admin_url("news.article", "simple_history", published.pk, first.history_id)
    response = client.post(url, {**form, "title": "编辑改的", "status": "in_review"})
    assert response.status_code == 403
    published.refresh_from_db()
    assert (published.title, published.status) == ("已发布的标题", Article.Status.PUBLISHED)


def test_a_secretary_cannot_change_what_they_may_only_read_through_an_old_version(client, world):
    client.force_login(world["users"]["secretary"])
    requirement = world["records"]["party_building.requirement"]
    times = requirement.times
    version = requirement.history.first()
    url = admin_url(
        "party_building.requirement", "simple_history", requirement.pk, version.history_id
    )
    data = {"kind": requirement.kind, "unit": requirement.unit, "times": times + 5}
    assert client.post(url, data).status_code == 403
    requirement.refresh_from_db()
    assert requirement.times == times
    person = world["person"]
    url = admin_url(
        "members.person", "simple_history", person.pk, person.history.first().history_id
    )
    assert client.post(url, {"name": "改名", "note": ""}).status_code == 403
    person.refresh_from_db()
    assert person.name == "吴某"


def test_only_a_superuser_deletes_from_the_register(client, world):
    lawyer = world["records"]["members.lawyer"]
    client.force_login(world["users"]["member_admin"])
    url = admin_url("members.lawyer", "delete", lawyer.pk)
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert type(lawyer).objects.filter(pk=lawyer.pk).exists()
    client.force_login(world["users"]["superuser"])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not type(lawyer).objects.filter(pk=lawyer.pk).exists()
    assert lawyer.history.filter(history_type="-").exists()  # deleted, and still on record


def test_a_secretary_cannot_add_a_party_organisation_or_link_accounts(client, world):
    client.force_login(world["users"]["secretary"])
    before = PartyOrganization.objects.count()
    response = client.post(
        admin_url("party_building.partyorganization", "add"), {"kind": "branch", "name": "新支部"}
    )
    assert response.status_code == 403
    assert PartyOrganization.objects.count() == before
    response = client.post(
        admin_url("party_building.organizationmanager", "add"),
        {"user": world["users"]["secretary"].pk, "organization": world["b"].pk},
    )
    assert response.status_code == 403
    assert not OrganizationManager.objects.filter(
        user=world["users"]["secretary"], organization=world["b"]
    ).exists()


def test_membership_and_member_records_of_another_branch_stay_out_of_reach(client, world):
    client.force_login(world["users"]["secretary"])
    member_b = world["records"]["party_building.partymember"]
    response = client.post(
        admin_url("party_building.membership", "add"),
        {
            "member": member_b.pk,
            "organization": world["a"].pk,
            "start": "2024-01-01",
            "role": "member",
        },
    )
    assert response.status_code == 200  # refused in the form: not one of the secretary's members
    assert not Membership.objects.filter(member=member_b, organization=world["a"]).exists()
    assert PartyMember.objects.filter(pk=member_b.pk).exists()
    assert BranchActivity.objects.filter(branch=world["b"]).count() == 1
    assert Commitment.objects.filter(member=member_b).count() == 1


# --- CSRF ---------------------------------------------------------------------------------------


def test_every_admin_post_and_the_editor_upload_need_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["superuser"])
    urls = [reverse("core:editor-image-upload")]
    for model in admin.site._registry:
        label = label_of(model)
        record = world["records"][label]
        urls += [
            admin_url(label, "add"),
            admin_url(label, "change", record.pk),
            admin_url(label, "delete", record.pk),
            admin_url(label, "changelist"),
        ]
    urls += [
        reverse("admin:members_lawfirm_import"),
        reverse("admin:members_lawyer_import_confirm"),
    ]
    refused = {url: client.post(url, {"post": "yes"}).status_code for url in urls}
    assert set(refused.values()) == {403}, {u: s for u, s in refused.items() if s != 403}
    assert all(model.objects.filter(pk=world["records"][label_of(model)].pk).exists()
               for model in admin.site._registry)  # fmt: skip
    # The same client with the token gets through, so the 403s above are CSRF's.
    client.get(admin_url("news.source", "add"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        admin_url("news.source", "add"), {"name": "新来源", "url": "", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
