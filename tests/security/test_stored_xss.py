"""Stored XSS: every vector saved through every field a page shows, and nothing runs.

Each vector of ``xss_vectors.VECTORS`` goes into every rich-text field (sanitised on save by
core.fields.RichTextField, bulk_create included) and every plain text field that a public,
staff or admin page shows. The pages are then rendered and parsed: no element may carry an
event handler, no script may be inline, no URL may use a scheme that runs code, no frame,
plugin, <base> or <meta http-equiv> may appear and no style may hold expression() or url().
Lists are shown on one page each (the page sizes are raised) so that a few requests cover
every vector; the detail pages are rendered one per item.
"""

import datetime
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.sanitize import clean_html
from members import views as member_views
from members.models import LawFirm, Lawyer, Organization, Person
from news import search
from news import views as news_views
from news.models import Article, Attachment, Column, Event, Participation, Source, Speech
from party_building import views as party_views
from party_building.models import (
    ActivityAttachment,
    ActivityPhoto,
    Attendance,
    BranchActivity,
    Campaign,
    Commitment,
    Membership,
    Officer,
    OrganizationManager,
    PartyMember,
    PartyOrganization,
)
from tests.factories import UserFactory
from tests.members.factories import credit_code, license_number
from tests.security.unrecorded import templates_not_recorded  # noqa: F401
from tests.security.xss_vectors import MOST_DANGEROUS, VECTORS, marker

pytestmark = pytest.mark.django_db

# --- What "executable" means, checked on the parsed page ------------------------------------

URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
    "lowsrc", "dynsrc", "codebase", "cite", "longdesc", "ping", "manifest", "icon", "srcdoc",
}  # fmt: skip
# Elements the site never puts on a page, whatever the area.
FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"}
# Browsers drop these from URLs before reading the scheme.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]")
SAFE_DATA_URL = re.compile(r"data:image/(png|jpeg|gif|webp)[;,]")
DANGEROUS_CSS = ("expression(", "javascript:", "url(", "-moz-binding", "behavior", "@import")


def runs_code(url: str) -> bool:
    """Whether a browser would run ``url`` (already entity-decoded by the parser)."""
    url = _URL_NOISE.sub("", url).lower()
    if url.startswith(("javascript:", "vbscript:", "livescript:")):
        return True
    return url.startswith("data:") and not SAFE_DATA_URL.match(url)


def css_is_dangerous(css: str) -> bool:
    css = re.sub(r"/\*.*?\*/|\\|\s", "", css.lower())
    return any(word in css for word in DANGEROUS_CSS)


class ExecutableFinder(HTMLParser):
    """Collects every place of a page where a browser would run something not the site's."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script = None  # the attributes of the <script> being read
        self._style = False

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)
        self._script, self._style = None, False  # <script/> and <style/> have no content

    def _check(self, tag, attrs):
        values = {name: value or "" for name, value in attrs}
        shown = self.get_starttag_text()
        # Every attribute as written: of two with one name, a browser keeps the first.
        for name, value in ((name, value or "") for name, value in attrs):
            if name.startswith("on"):
                self.found.append(f"event handler {name}: {shown}")
            elif name in URL_ATTRIBUTES and runs_code(value):
                self.found.append(f"{name} runs code: {shown}")
            elif name == "srcset" and any(runs_code(part) for part in value.split(",")):
                self.found.append(f"srcset runs code: {shown}")
            elif name == "style" and css_is_dangerous(value):
                self.found.append(f"dangerous style: {shown}")
        if tag in FORBIDDEN_ELEMENTS:
            self.found.append(f"<{tag}>: {shown}")
        elif tag == "meta" and "http-equiv" in values:
            self.found.append(f"<meta http-equiv>: {shown}")
        elif tag == "script":
            self._script = values
        elif tag == "style":
            self._style = True

    def handle_data(self, data):
        if self._script is not None and data.strip():
            if self._script.get("type") != "application/json":
                self.found.append(f"inline script: <script>{data[:200]}")
        elif self._style and css_is_dangerous(data):
            self.found.append(f"dangerous <style>: {data[:200]}")

    def handle_endtag(self, tag):
        if tag == "script":
            if self._script is not None and not (
                self._script.get("src", "").startswith("/")
                or self._script.get("type") == "application/json"
            ):
                self.found.append(f"script that is neither the site's file nor JSON: {tag}")
            self._script = None
        elif tag == "style":
            self._style = False

    def at_rest(self) -> bool:
        """Nothing read but not yet parsed, and not inside a script or style."""
        return (
            not self.rawdata
            and self.cdata_elem is None
            and self._script is None
            and not self._style
        )


# The parser is fed a page line by line. A line read at rest that leaves it at rest adds the
# same findings wherever it appears (the parser's state is all at_rest looks at, and it is
# the same before and after), so it is parsed once: the pages of a walk repeat four fifths of
# their lines (the site's frame, the admin's menus of every vector) and parsing them again
# was most of the checker's time.
FINDINGS_OF_LINE: dict[str, list[str]] = {}
# What HTMLParser keeps between two lines; another Python's parser may keep more.
PARSER_STATE = {"rawdata", "cdata_elem", "interesting", "lasttag", "lineno", "offset"}


# A vector that sanitising changes must never reach a page as it was written.
RAW_VECTORS = [v for v in VECTORS if "<" in v and clean_html(v) != v]


def any_of(words: list[str]) -> re.Pattern:
    """A pattern matching exactly the strings of ``words``, written as the tree of their
    prefixes: one search of a page says whether any of them is on it, for about the cost of
    looking for one (looking for each in turn was a sixth of the checker's time)."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in node.items() if char]
        if not branches:
            return ""
        group = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{group})?" if "" in node else group

    return re.compile(pattern(tree))


ANY_RAW_VECTOR = any_of(RAW_VECTORS)


def parser_findings(page: str) -> list[str]:
    """What ExecutableFinder finds on ``page``, read line by line (FINDINGS_OF_LINE)."""
    finder = ExecutableFinder()
    found = finder.found
    for line in page.splitlines(keepends=True):
        if not finder.at_rest():
            finder.feed(line)
            continue
        known = FINDINGS_OF_LINE.get(line)
        if known is not None:
            found += known
            continue
        before = len(found)
        finder.feed(line)
        if finder.at_rest():
            FINDINGS_OF_LINE[line] = found[before:]
    finder.close()
    return found


def executable_parts(page: str) -> list[str]:
    found = parser_findings(page)
    if ANY_RAW_VECTOR.search(page):  # then name each one there
        found += [f"raw vector {marker(v)} on the page" for v in RAW_VECTORS if v in page]
    if "49xss" in page:  # {{7*7}} evaluated by a template engine
        found.append("template syntax was evaluated")
    return found


def assert_inert(client, urls, *, expect=200):
    """Every page of ``urls`` answers ``expect`` and holds nothing executable."""
    problems = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == expect, (url, response.status_code)
        found = executable_parts(response.content.decode())
        if found:
            problems[url] = found[:5]
    assert not problems, problems


def test_the_corpus_has_at_least_150_vectors_each_with_its_own_marker():
    assert len(VECTORS) >= 150
    assert len(set(VECTORS)) == len(VECTORS)
    assert [marker(vector) for vector in VECTORS] == list(range(1, len(VECTORS) + 1))
    assert len(MOST_DANGEROUS) == 40


def test_the_checker_catches_each_kind_of_executable_markup():
    assert executable_parts('<img src="x" onerror="alert(1)">')
    assert executable_parts("<script>alert(1)</script>")
    assert executable_parts('<a href=" java&#x09;script&colon;alert(1)">x</a>')
    assert executable_parts('<a href="DATA:text/html,x">x</a>')
    assert executable_parts('<a href="javascript:alert(1)" href="/">x</a>')
    assert executable_parts('<iframe srcdoc="x"></iframe>')
    assert executable_parts('<meta http-equiv="refresh" content="0">')
    assert executable_parts('<p style="width:ex\\pression(1)">x</p>')
    assert executable_parts("<style>a{background:url(javascript:x)}</style>")
    assert not executable_parts('<script src="/static/x.js"></script>')
    assert not executable_parts('<script type="application/json">{"a": "&lt;"}</script>')
    assert not executable_parts('<p title="&quot; onerror=alert(1)">&lt;script&gt;</p>')
    assert not executable_parts('<img src="data:image/png;base64,AAAA">')
    # Each vector that sanitising changes is named wherever it reaches a page as written.
    for vector in RAW_VECTORS:
        page = f"<p>正文{vector}正文</p>"
        assert f"raw vector {marker(vector)} on the page" in executable_parts(page)
    assert any_of(["ab", "abc", "b"]).fullmatch("abc")
    assert not any_of(["ab", "abc", "b"]).search("a c")


def test_the_checker_finds_line_by_line_what_it_finds_in_a_whole_page():
    def whole(page):
        finder = ExecutableFinder()
        finder.feed(page)
        finder.close()
        return finder.found

    # Every vector on lines of its own, each page twice: the second time from what the
    # first left remembered.
    pages = [
        "\n".join(VECTORS),
        "<div>\n" + "\n".join(f"<p>\n{vector}\n</p>" for vector in VECTORS),
        "<script>\n" + "\n</script>\n<script>\n".join(VECTORS) + "\n</script>",
    ]
    for page in pages * 2:
        assert parser_findings(page) == whole(page)
    # A line remembered as harmless is read again inside a script, a style, a tag or a
    # comment, and one remembered as harmful is not held against a comment.
    assert not executable_parts("<p>\nalert(1)\n</p>\n")
    assert executable_parts("<script>\nalert(1)\n</script>\n")
    assert not executable_parts("<p>\nwidth:expression(1)\n</p>\n")
    assert executable_parts("<style>\nwidth:expression(1)\n</style>\n")
    assert not executable_parts('<p>\n onclick="alert(1)"\n</p>\n')
    assert executable_parts('<p\n onclick="alert(1)"\n>x</p>\n')
    assert executable_parts("<p>\n<img src=x onerror=alert(1)>\n</p>\n")
    assert not executable_parts("<!--\n<img src=x onerror=alert(1)>\n-->\n")
    # What the parser keeps from one line to the next is all that at_rest looks at.
    finder = ExecutableFinder()
    finder.feed('<p class="x">a &amp; b</p><!-- c --><script>1</script><style>p{}</style>')
    assert set(vars(finder)) == PARSER_STATE | {
        "convert_charrefs",
        "_HTMLParser__starttag_text",
        "found",
        "_script",
        "_style",
    }


# --- Every vector in every field ---------------------------------------------------------------


def storable(text: str) -> str:
    # PostgreSQL cannot keep NUL in text; the admin's forms refuse it before (see below).
    return text.replace("\x00", "\ufffd") if connection.vendor == "postgresql" else text


def fit(model, field: str, text: str, n: int | None = None) -> str:
    """``text`` cut to the field's length; with ``n``, made unique by a numbered end."""
    limit = model._meta.get_field(field).max_length
    if n is None:
        return text[:limit]
    end = f"·{n}"
    return text[: limit - len(end)] + end


@dataclass
class HostileWorld:
    articles: list
    columns: list
    events: list
    speeches: list
    people: list
    organizations: list
    firms: list
    branches: list
    activities: list
    members: list
    campaigns: list


def build_hostile_world(user) -> HostileWorld:
    """One of everything per vector, made in bulk (rich text is sanitised on bulk_create too)."""
    vectors = [storable(v) for v in VECTORS]
    numbered = list(enumerate(vectors, start=1))
    now = timezone.now()
    day = datetime.date(2024, 2, 15)

    columns = Column.objects.bulk_create(
        Column(name=fit(Column, "name", v, n), slug=f"xss-{n}", order=90, description=v)
        for n, v in numbered
    )
    sources = Source.objects.bulk_create(
        Source(name=fit(Source, "name", v, n)) for n, v in numbered
    )
    people = bulk_create_with_history(
        [Person(name=fit(Person, "name", v), note=fit(Person, "note", v)) for _, v in numbered],
        Person,
    )
    organizations = bulk_create_with_history(
        [Organization(name=fit(Organization, "name", v)) for _, v in numbered], Organization
    )
    articles = bulk_create_with_history(
        [
            Article(
                title=fit(Article, "title", v),
                subtitle=f"{v}\n{v}",
                author=fit(Article, "author", v),
                summary=v if n % 2 else "",  # the lead from the body for the others
                body=v,
                column=columns[n - 1],
                source=sources[n - 1],
                status=Article.Status.PUBLISHED,
                published_at=now - datetime.timedelta(minutes=n),
            )
            for n, v in numbered
        ],
        Article,
    )
    Attachment.objects.bulk_create(
        Attachment(article=a, title=fit(Attachment, "title", v), file=f"attachments/{n}.pdf")
        for (n, v), a in zip(numbered, articles, strict=True)
    )
    events = bulk_create_with_history(
        [
            Event(
                name=fit(Event, "name", v),
                place=fit(Event, "place", v),
                theme=fit(Event, "theme", v),
                date_as_written=fit(Event, "date_as_written", v),
                start_date=day if n % 2 else None,
                description=v,
                organizer=organizations[n - 1],
            )
            for n, v in numbered
        ],
        Event,
    )
    roles = list(Participation.Role)
    bulk_create_with_history(
        [
            Participation(
                event=events[n - 1],
                person=people[n - 1] if n % 3 else None,
                organization=organizations[n - 1],
                role=roles[n % len(roles)],
                post=fit(Participation, "post", v),
            )
            for n, v in numbered
        ],
        Participation,
    )
    speeches = bulk_create_with_history(
        [
            Speech(
                speaker=people[n - 1],
                speaker_post=fit(Speech, "speaker_post", v),
                event=events[n - 1],
                date=day if n % 2 else None,
                title=fit(Speech, "title", v),
                text=v,
            )
            for n, v in numbered
        ],
        Speech,
    )
    Article.events.through.objects.bulk_create(
        Article.events.through(article=a, event=e) for a, e in zip(articles, events, strict=True)
    )
    Article.speeches.through.objects.bulk_create(
        Article.speeches.through(article=a, speech=s)
        for a, s in zip(articles, speeches, strict=True)
    )
    search.reindex_all()

    firms = bulk_create_with_history(
        [
            LawFirm(
                name=fit(LawFirm, "name", f"律师事务所{v}", n),
                credit_code=credit_code(8_000_000 + n),
                license_number=fit(LawFirm, "license_number", v),
                address=fit(LawFirm, "address", v),
                phone=fit(LawFirm, "phone", v),
            )
            for n, v in numbered
        ],
        LawFirm,
    )
    # One firm employs them all, so that its page lists every name.
    bulk_create_with_history(
        [
            Lawyer(
                person=people[n - 1],
                license_number=license_number(8_000_000 + n),
                firm=firms[0],
                first_licensed_year=2010,
                practice_areas=fit(Lawyer, "practice_areas", v),
                phone=fit(Lawyer, "phone", v),
                address=fit(Lawyer, "address", v),
            )
            for n, v in numbered
        ],
        Lawyer,
    )

    committee = PartyOrganization.objects.create(kind="committee", name="市律师行业党委")
    branches = bulk_create_with_history(
        [
            PartyOrganization(
                kind=PartyOrganization.Kind.BRANCH,
                name=fit(PartyOrganization, "name", v),
                parent=committee,
                law_firm=firms[n - 1],
                established=datetime.date(2010, 1, 1),
            )
            for n, v in numbered
        ],
        PartyOrganization,
    )
    members = bulk_create_with_history([PartyMember(person=p) for p in people], PartyMember)
    bulk_create_with_history(
        [
            Membership(member=m, organization=b, start=datetime.date(2015, 1, 1))
            for m, b in zip(members, branches, strict=True)
        ],
        Membership,
    )
    bulk_create_with_history(
        [
            Officer(
                organization=b, person=p, role="secretary", term_start=datetime.date(2020, 1, 1)
            )
            for b, p in zip(branches, people, strict=True)
        ],
        Officer,
    )
    activities = bulk_create_with_history(
        [
            BranchActivity(
                branch=branches[n - 1],
                kind="general_meeting",
                date=day,
                place=fit(BranchActivity, "place", v),
                presided_by=people[n - 1],
                topic=fit(BranchActivity, "topic", v),
                minutes=v,
                article=articles[n - 1],
            )
            for n, v in numbered
        ],
        BranchActivity,
    )
    bulk_create_with_history(
        [
            Attendance(
                activity=activities[n - 1],
                member=members[n - 1],
                status="excused",
                reason=fit(Attendance, "reason", v),
            )
            for n, v in numbered
        ],
        Attendance,
    )
    bulk_create_with_history(
        [
            ActivityAttachment(
                activity=activities[n - 1],
                title=fit(ActivityAttachment, "title", v),
                file=f"party/attachments/{n}.pdf",
            )
            for n, v in numbered
        ],
        ActivityAttachment,
    )
    bulk_create_with_history(
        [
            ActivityPhoto(
                activity=activities[n - 1],
                image=f"party/photos/{n}.png",
                caption=fit(ActivityPhoto, "caption", v),
            )
            for n, v in numbered
        ],
        ActivityPhoto,
    )
    campaigns = bulk_create_with_history(
        [
            Campaign(
                name=fit(Campaign, "name", v, n),
                start=datetime.date(2010, 4, 1),
                description=v,
            )
            for n, v in numbered
        ],
        Campaign,
    )
    bulk_create_with_history(
        [
            Commitment(
                member=members[n - 1],
                campaign=campaigns[n - 1],
                text=v,
                review=v,
                made_on=datetime.date(2010, 5, 1),
                is_public=True,  # on the campaigns' public pages
            )
            for n, v in numbered
        ],
        Commitment,
    )
    secretary = UserFactory(username="xss-secretary", is_staff=True)
    bulk_create_with_history(
        [OrganizationManager(user=secretary, organization=b) for b in branches],
        OrganizationManager,
    )
    # The admin's "recent actions" show what was changed, by the name it had then.
    article_type = ContentType.objects.get_for_model(Article)
    LogEntry.objects.bulk_create(
        LogEntry(
            user=user,
            content_type=article_type,
            object_id=str(article.pk),
            object_repr=fit(LogEntry, "object_repr", v),
            action_flag=CHANGE,
            change_message=v,
        )
        for (_, v), article in zip(numbered, articles, strict=True)
    )
    return HostileWorld(
        articles=articles,
        columns=columns,
        events=events,
        speeches=speeches,
        people=people,
        organizations=organizations,
        firms=firms,
        branches=branches,
        activities=activities,
        members=members,
        campaigns=campaigns,
    )


ONE_PAGE = 1000


@pytest.fixture
def one_page_lists(monkeypatch):
    """Every list on one page, so that one request shows every vector."""
    for view in (
        news_views.ArticleListView,
        news_views.ArchiveMixin,
        news_views.ColumnView,
        news_views.EventListView,
        news_views.SpeechListView,
        news_views.SearchView,
        member_views.LookupView,
        member_views.LawFirmView,
        party_views.ActivityListView,
        party_views.PublicBranchListView,
    ):
        monkeypatch.setattr(view, "paginate_by", ONE_PAGE)
    monkeypatch.setattr(news_views, "PAGE_SIZE", ONE_PAGE)
    monkeypatch.setattr(party_views, "PAGE_SIZE", ONE_PAGE)
    monkeypatch.setattr(party_views, "BOARD_PAGE_SIZE", ONE_PAGE)
    for model_admin in admin.site._registry.values():
        monkeypatch.setattr(model_admin, "list_per_page", ONE_PAGE)
        monkeypatch.setattr(model_admin, "list_max_show_all", ONE_PAGE)


@pytest.fixture(scope="class")
def hostile_world(django_db_setup, django_db_blocker):
    """The hostile world, made once for the tests that only read it, rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        # The superuser of the `superuser` fixture (same name): the admin's recent actions
        # are that user's.
        user = UserFactory(username="root", is_staff=True, is_superuser=True)
        yield build_hostile_world(user)
        transaction.set_rollback(True)


@pytest.fixture
def hostile(hostile_world, superuser, one_page_lists, settings):
    settings.LOOKUP_RATE_LIMIT = 100_000
    return hostile_world


# A change page is ten times slower than a list, and every one of them already lists every
# vector in its menus (columns, sources, branches): the four rich-text models are opened for
# half of the 40 most dangerous vectors, the other models for every 16th.
DANGEROUS_INDEXES = [marker(vector) - 1 for vector in MOST_DANGEROUS[::2]]


def admin_object_urls(hostile):
    def urls(objects, view="change", *, step=None):
        chosen = objects[::step] if step else [objects[i] for i in DANGEROUS_INDEXES]
        for obj in chosen:
            info = obj._meta.app_label, obj._meta.model_name
            yield reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[obj.pk])

    return [
        *urls(hostile.articles),
        *urls(hostile.events),
        *urls(hostile.speeches),
        *urls(hostile.activities),
        *urls(hostile.people, step=16),
        *urls(hostile.organizations, step=16),
        *urls(hostile.firms, step=16),
        *urls([hostile.firms[0].lawyers.first()], step=1),
        *urls(hostile.branches, step=16),
        *urls(hostile.members, step=16),
        *urls(hostile.campaigns, step=16),
        *urls(hostile.columns, step=16),
        *urls(hostile.articles, view="history", step=16),
        *urls(hostile.branches, view="history", step=16),
        *urls(hostile.articles, view="delete", step=16),
        *(reverse("admin:news_article_extract", args=[a.pk]) for a in hostile.articles[::16]),
    ]


class TestPagesShowingTheHostileWorld:
    """The world is made once for these tests (it takes longer than their pages)."""

    def test_every_rich_text_field_holds_only_sanitised_html(self, hostile):
        stored = [
            *Article.objects.values_list("body", flat=True),
            *Event.objects.values_list("description", flat=True),
            *Speech.objects.values_list("text", flat=True),
            *BranchActivity.objects.values_list("minutes", flat=True),
        ]
        assert len(stored) == 4 * len(VECTORS)
        problems = {value: executable_parts(value) for value in stored if executable_parts(value)}
        assert not problems

    def test_public_news_pages_run_nothing(self, client, hostile):
        year = timezone.localdate().year
        month = f"{timezone.localdate().month:02d}"
        urls = [
            "/",
            "/news/",
            "/archive/",
            f"/archive/{year}/",
            f"/archive/{year}/{month}/",
            "/events/",
            "/speeches/",
            *(f"/search/?q={word}" for word in ("alert", "xss", "script", "img", "javascript")),
            "/search/?q=alert&order=date&kind=article",
            *(a.get_absolute_url() for a in hostile.articles),
            *(c.get_absolute_url() for c in hostile.columns[::10]),
            *(e.get_absolute_url() for e in hostile.events),
            *(s.get_absolute_url() for s in hostile.speeches),
            *(reverse("news:person", args=[p.pk]) for p in hostile.people[::4]),
            *(reverse("news:organization", args=[o.pk]) for o in hostile.organizations[::4]),
        ]
        assert_inert(client, urls)

    def test_the_directory_and_the_party_pages_run_nothing(self, client, hostile, superuser):
        assert_inert(
            client,
            [
                "/firms/lookup/?name=律师事务所",
                hostile.firms[0].get_absolute_url(),
                # A name with a NUL is refused at the door (core.inputs), never looked up.
                *(
                    f"/lawyers/lookup/?name={p.name}"
                    for p in hostile.people[::7]
                    if "#" not in p.name and "\x00" not in p.name
                ),
                "/party/public/branches/",
                *(b.get_public_url() for b in hostile.branches[::5]),
                "/party/public/campaigns/",
                *(c.get_absolute_url() for c in hostile.campaigns[::5]),
            ],
        )
        client.force_login(superuser)
        assert_inert(
            client,
            [
                "/party/board/",
                "/party/activities/",
                *(a.get_absolute_url() for a in hostile.activities),
                *(b.get_absolute_url() for b in hostile.branches[::10]),
            ],
        )

    def test_every_admin_changelist_and_the_recent_actions_run_nothing(
        self, client, hostile, superuser
    ):
        client.force_login(superuser)
        urls = ["/admin/"]
        for model in admin.site._registry:
            info = model._meta.app_label, model._meta.model_name
            urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        assert_inert(client, urls)

    def test_admin_change_history_and_delete_pages_run_nothing(self, client, hostile, superuser):
        client.force_login(superuser)
        assert_inert(client, admin_object_urls(hostile))


# --- Reflected: what a visitor types comes back escaped ----------------------------------------


def test_vectors_typed_into_the_public_forms_come_back_inert(client, settings):
    settings.LOOKUP_RATE_LIMIT = 100_000
    asked = [("/search/", {"q": vector}) for vector in VECTORS]
    for vector in MOST_DANGEROUS:
        asked += [
            ("/news/", {"year": vector, "date_from": vector}),
            ("/lawyers/lookup/", {"name": vector, "firm": vector}),
            ("/firms/lookup/", {"name": vector}),
        ]
    for url, params in asked:
        response = client.get(url, params)
        assert response.status_code in (200, 400), (url, params)
        assert not executable_parts(response.content.decode()), (url, params)


# --- Through the admin's own forms ---------------------------------------------------------------


def article_form(**fields):
    data = {
        "title": "标题",
        "subtitle": "",
        "column": Column.objects.get(slug="notices").pk,
        "source": Source.objects.get(name="本站原创").pk,
        "author": "",
        "published_at_0": "2024-03-01",
        "published_at_1": "09:00:00",
        "body": "<p>正文</p>",
        "summary": "",
        "_action": "publish",  # the 发布 button (news/workflow.py)
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
    }
    data.update(fields)
    return data


def test_vectors_saved_through_the_admin_form_are_inert_on_both_faces(client, superuser):
    client.force_login(superuser)
    for vector in MOST_DANGEROUS:
        text = vector.replace("\x00", "")  # NUL: see the next test
        response = client.post(
            reverse("admin:news_article_add"),
            article_form(title=text[:200], subtitle=text, author=text[:100], body=text),
        )
        assert response.status_code == 302, (marker(vector), response.content.decode()[:300])
    articles = list(Article.objects.all())
    assert len(articles) == len(MOST_DANGEROUS)
    assert_inert(
        client,
        [
            *(article.get_absolute_url() for article in articles),
            *(reverse("admin:news_article_change", args=[article.pk]) for article in articles),
        ],
    )


def test_a_nul_character_is_refused_by_the_admin_with_a_message_not_an_error(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:news_article_add"), article_form(title="<scr\x00ipt>alert(1)</scr\x00ipt>")
    )
    assert response.status_code == 200
    assert "空字符" in response.content.decode()
    assert not Article.objects.exists()


# The admin's form for a source warns that Django 6 will assume https (the suite turns
# Django's deprecation warnings into errors); the refusal is what this test is about.
def test_a_source_web_address_must_be_http(client, superuser):
    client.force_login(superuser)
    for url in ("javascript:alert(1)", "data:text/html,<script>alert(1)</script>"):
        response = client.post(reverse("admin:news_source_add"), {"name": "来源", "url": url})
        assert response.status_code == 200
    assert not Source.objects.filter(name="来源").exists()


def test_template_syntax_in_a_title_is_shown_as_written(client):
    from tests.news.factories import ArticleFactory

    title = "{{7*7}} {% debug %}"
    article = ArticleFactory(title=title, body="<p>{{ 7|add:42 }}</p>")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    (heading,) = re.findall(r"<h1>(.*?)</h1>", page, flags=re.S)
    assert html.unescape(heading.strip()) == title
    assert "<p>{{ 7|add:42 }}</p>" in page
    assert "sql_queries" not in page and "49" not in heading


# --- In a real browser: nothing runs -------------------------------------------------------------


RAN = "Object.keys(window).filter(name => /^xss\\d+$/.test(name))"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reseed")
def test_the_most_dangerous_vectors_run_nothing_in_chromium(new_page, live_server):
    from tests.browser.conftest import sign_in
    from tests.news.factories import ArticleFactory

    UserFactory(username="root", is_staff=True, is_superuser=True)
    article = ArticleFactory(
        title="".join(MOST_DANGEROUS)[:200],
        subtitle="\n".join(MOST_DANGEROUS),
        author=MOST_DANGEROUS[0],
        body="".join(MOST_DANGEROUS),
    )
    page = new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    public = f"{live_server.url}{article.get_absolute_url()}"
    page.goto(public)
    page.wait_for_load_state("networkidle")
    assert (page.url, page.evaluate(RAN), dialogs) == (public, [], [])

    # Signed in (the session made on the server), on the admin's front page a sign-in leads to.
    sign_in(page.context, live_server, "root")
    page.goto(f"{live_server.url}/admin/")
    change = f"{live_server.url}{reverse('admin:news_article_change', args=[article.pk])}"
    page.goto(change)
    page.wait_for_selector(".ck-editor__editable")  # CKEditor has loaded the body
    page.wait_for_load_state("networkidle")
    assert (page.url, page.evaluate(RAN), dialogs) == (change, [], [])
