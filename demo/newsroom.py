"""Demo events, speeches, participants and articles with their search entries, in bulk.

Called by ``manage.py generate_demo_data`` after ``demo.register``. The text comes from
``demo.text``; every value from the ``random.Random`` passed in, except the times of
scheduled articles, which lie just after the moment of the run.

Rows are added with the models' managers (``bulk_create``) in batches, one transaction per
batch. That sends no signals, so the search entries are written here, through
``news.search.store_entries`` with the terms ``news.search.reindex_all`` would write
(``index_terms``), and no history records are kept for generated data
(django-simple-history writes them on ``save()`` only).

Segmenting the text costs more than anything else, and on PostgreSQL so does turning it
into tsvectors; hence a cache of clauses (generated text repeats them), worker processes
that write and segment articles while this process stores the ones before, tsvector
literals built in those workers by the site's encoder (``news.segmentation.tsvectors``) and
loaded with COPY, and GIN indexes built once at the end (``search_index_load``).
"""

import datetime
import functools
import hashlib
import html
import random
import re
import time
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from demo import text as demo_text
from demo.register import Register, batches
from demo.text import Meeting, Participant
from members.models import Organization, Person
from news import search, segmentation
from news.models import Article, Column, Event, Participation, Source, Speech

Progress = Callable[[int, int], None] | None

SPAN_YEARS = 20

# The columns seeded by news migration 0002.
ASSOCIATION_NEWS, NOTICES, PARTY_BUILDING, SPEECHES, INDUSTRY_NEWS = (
    "association-news",
    "notices",
    "party-building",
    "speeches",
    "industry-news",
)
SITE = "本站原创"
# Industry news comes from elsewhere; 法制日报 was renamed 法治日报 on 1 August 2020.
OUTSIDE_SOURCES = ("司法部网站", "中国律师网", "新华网", "人民网", "省律师协会网站")
OLD_PAPER, NEW_PAPER, PAPER_RENAMED = "法制日报", "法治日报", datetime.date(2020, 8, 1)

# Articles that report no recorded event, speech or activity: (kind, share).
OTHER_KINDS = (("notice", 25), ("association", 35), ("industry", 25), ("party", 15))
# Each of draft, in review, withdrawn and scheduled (published, in the future): this share.
STATUS_SHARE = 0.01
PINNED_PER_ARTICLES = 5000
# Batches written ahead by the worker processes, waiting to be stored.
IN_FLIGHT = 4

# Titles in each body, junior first: a person rises through them over the years.
OFFICIAL_TITLES = {
    "司法部": ("律师工作局副局长", "律师工作局局长", "副部长", "党组书记、部长"),
    "省司法厅": ("律师工作处处长", "副厅长", "党委书记、厅长"),
    "市司法局": ("律师工作处副处长", "律师工作处处长", "副局长", "党委书记、局长"),
    "中华全国律师协会": ("秘书长", "副会长", "会长"),
    "省律师协会": ("副秘书长", "秘书长", "副会长", "会长"),
    "市律师协会": ("副秘书长", "秘书长", "党委副书记、秘书长"),
    "市中级人民法院": ("审判员", "庭长", "副院长"),
    "市人民检察院": ("检察官", "处长", "副检察长"),
    "市公安局": ("法制支队支队长", "副局长"),
    "市委政法委": ("处长", "副书记"),
    "市法律援助处": ("副主任", "主任"),
}
DISTRICT_BUREAU_TITLES = ("律师管理科科长", "副局长", "局长")
LEADER_TITLES = ("市律师协会理事", "市律师协会常务理事", "市律师协会副会长", "市律师协会会长")
# One association leader per this many lawyers; one firm head per this many.
LAWYERS_PER_LEADER = 200
LAWYERS_PER_HEAD = 40


@dataclass(frozen=True)
class Role:
    """Someone who takes part in meetings, with the posts held over the years."""

    person: Person
    organization: Organization | None
    posts: tuple[str, ...]  # junior first
    since: int  # the year of the first post
    years_per_post: int = 5

    def post(self, year: int) -> str:
        step = (year - self.since) // self.years_per_post
        return self.posts[min(len(self.posts) - 1, max(0, step))]

    def at(self, year: int) -> Participant:
        return Participant(self.person.name, self.post(year))


@dataclass
class Cast:
    """Who presides, speaks and attends, and which organisations present their work."""

    officials: list[Role]  # preside and speak
    members: list[Role]  # attend, and speak sometimes
    presenters: list[Organization]
    organizers: list[Organization]


@dataclass(frozen=True)
class ActivityReport:
    """A branch activity that a 党建工作 article reports (from demo.party)."""

    branch: str
    kind: str
    topic: str
    day: datetime.date
    venue: str
    presider: str
    present: int


@dataclass
class Story:
    """An event as created, with its speeches: what the articles report."""

    event: Event
    meeting: Meeting
    column: str
    speeches: list[tuple[Speech, demo_text.Text]] = field(default_factory=list)


@dataclass
class Span:
    """The twenty years the data covers, ending on ``until``; ``now`` places scheduled items."""

    until: datetime.date
    now: datetime.datetime
    years: int = SPAN_YEARS

    @property
    def first(self) -> datetime.date:
        return years_later(self.until, -self.years) + datetime.timedelta(days=1)

    def day(self, rng: random.Random) -> datetime.date:
        """A day in the span, later ones likelier: the site publishes more every year."""
        days = (self.until - self.first).days
        offset = rng.randint(0, days) if rng.random() < 0.4 else rng.triangular(0, days, days)
        return self.first + datetime.timedelta(days=int(offset))


def years_later(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later (earlier if negative); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def moment(rng: random.Random, day: datetime.date) -> datetime.datetime:
    """A working-hours time on ``day`` in the site's time zone."""
    naive = datetime.datetime.combine(day, datetime.time(rng.randint(8, 18), rng.randrange(60)))
    return timezone.make_aware(naive)


def paragraphs_html(paragraphs: Sequence[str]) -> str:
    return "".join(f"<p>{html.escape(paragraph, quote=False)}</p>" for paragraph in paragraphs)


# --- Who takes part ------------------------------------------------------------------------


def _career(rng: random.Random, titles: Sequence[str]) -> tuple[str, ...]:
    """The titles a person rises through: most stop early, few reach the top."""
    peak = rng.choices(
        range(len(titles)), [2 ** (len(titles) - rank) for rank in range(len(titles))]
    )
    return tuple(titles[: peak[0] + 1])


def cast(rng: random.Random, register: Register, span: Span, extra: Sequence[Role] = ()) -> Cast:
    """Give the register's officials, some lawyers and ``extra`` roles their posts."""
    officials = []
    for person, body in register.officials:
        titles = OFFICIAL_TITLES.get(body, DISTRICT_BUREAU_TITLES)
        posts = _career(rng, [f"{body}{title}" for title in titles])
        since = rng.randint(span.first.year - 10, span.until.year)
        officials.append(Role(person, register.bodies.get(body), posts, since))
    practising = [lawyer for lawyer in register.lawyers if lawyer.firm_id]
    association = register.bodies.get("市律师协会")
    leaders = rng.sample(
        practising, min(len(practising), len(practising) // LAWYERS_PER_LEADER + 1)
    )
    for lawyer in leaders:
        since = rng.randint(span.first.year - 8, span.until.year)
        posts = _career(rng, LEADER_TITLES)
        officials.append(Role(lawyer.person, association, posts, since, years_per_post=4))
    heads = rng.sample(practising, min(len(practising), len(practising) // LAWYERS_PER_HEAD + 1))
    members = [
        Role(
            lawyer.person,
            lawyer.firm.organization,
            (f"{lawyer.firm.name}律师", f"{lawyer.firm.name}合伙人", f"{lawyer.firm.name}主任"),
            rng.randint(span.first.year - 10, span.until.year),
            years_per_post=6,
        )
        for lawyer in heads
    ]
    members += list(extra)
    firms = [firm.organization for firm in register.firms if firm.organization_id]
    bureaus = [
        organization
        for name, organization in register.bodies.items()
        if organization.kind == Organization.Kind.JUSTICE_BUREAU and name.endswith("区司法局")
    ]
    party = [role.organization for role in extra if role.organization is not None]
    organizers = [register.bodies[name] for name in ("市律师协会", "市司法局")]
    return Cast(
        officials=officials or members,
        members=members or officials,
        presenters=firms + bureaus + party,
        organizers=organizers,
    )


# --- Events, speeches, participants --------------------------------------------------------


def create_events(
    rng: random.Random,
    count: int,
    cast: Cast,
    span: Span,
    *,
    pool=None,
    batch_size: int,
    progress: Progress = None,
    timings: Counter | None = None,
) -> list[Story]:
    """Events with their host, speakers, attendees and presenters, and the speeches given.

    The search entries are segmented in ``pool`` if given (see create_articles), while this
    process plans the next batch. ``timings["index"]`` adds up the seconds spent storing them.
    """
    stories: list[Story] = []

    def plan(size):
        return [_plan_event(rng, cast, span) for _ in range(size)]

    planned = plan(min(batch_size, count))
    while planned:
        with transaction.atomic():
            Event.objects.bulk_create([story.event for story, _ in planned])
            participations, speeches = [], []
            for story, roles in planned:
                participations += _participations(story, roles)
                speeches += [speech for speech, _ in story.speeches]
            Participation.objects.bulk_create(participations)
            Speech.objects.bulk_create(speeches)
            documents = [search.document_for(story.event) for story, _ in planned]
            documents += [search.document_for(speech) for speech in speeches]
            terms = _segment(documents, pool)
            stories += [story for story, _ in planned]
            # The workers segment this batch while this process plans the next one.
            planned = plan(min(batch_size, count - len(stories)))
            _store_entries(documents, terms(), timings)
        if progress:
            progress(len(stories), count)
    return stories


def _plan_event(rng: random.Random, cast: Cast, span: Span) -> tuple[Story, dict]:
    day = span.day(rng)
    year = day.year
    name, theme = demo_text.event_name(rng, day)
    place = demo_text.place(rng)
    speakers = _distinct(rng, cast.officials, rng.choice((1, 1, 1, 2, 2, 3)))
    hosts = _distinct(rng, cast.officials, 1)  # none only when nobody is in the register
    attendees = [
        role
        for role in _distinct(rng, cast.officials + cast.members, rng.randint(2, 8))
        if role not in speakers and role not in hosts
    ]
    presenters = _distinct(rng, cast.presenters, rng.choice((0, 0, 0, 2, 3, 4)))
    meeting = Meeting(
        name=name,
        day=day,
        place=place,
        host=hosts[0].at(year) if hosts else None,
        speakers=tuple(role.at(year) for role in speakers),
        attendees=tuple(role.at(year) for role in attendees),
        presenters=tuple(organization.name for organization in presenters),
        theme=theme,
    )
    # One report in a hundred gives the day without the year, as the seed article does.
    year_unknown = rng.random() < 0.01
    event = Event(
        name=name,
        start_date=None if year_unknown else day,
        end_date=None
        if year_unknown or rng.random() > 0.1
        else day + datetime.timedelta(days=rng.randint(1, 2)),
        date_as_written=demo_text.month_day(day) if year_unknown else "",
        place=place,
        organizer=rng.choice(cast.organizers),
        theme=theme,
        description=paragraphs_html(demo_text.event_description(rng, meeting)),
    )
    # The association's own meetings: party work in 党建工作, the rest in 协会动态.
    column = PARTY_BUILDING if theme or "党" in name else ASSOCIATION_NEWS
    story = Story(event, meeting, column)
    for role in speakers:
        text = demo_text.speech(rng, role.at(year), meeting)
        speech = Speech(
            speaker=role.person,
            speaker_post=role.post(year),
            event=event,
            title=text.title[:200],
            text=paragraphs_html(text.paragraphs),
        )
        story.speeches.append((speech, text))
    roles = {
        "host": hosts,
        "speaker": speakers,
        "attendee": attendees,
        "presenter": presenters,
    }
    return story, roles


def _distinct(rng: random.Random, items: Sequence, count: int) -> list:
    return rng.sample(items, min(count, len(items))) if items else []


def _participations(story: Story, roles: dict) -> list[Participation]:
    year = story.meeting.day.year
    rows = []
    for kind in ("host", "speaker", "attendee"):
        for role in roles[kind]:
            rows.append(
                Participation(
                    event=story.event,
                    person=role.person,
                    organization=role.organization,
                    role=kind,
                    post=role.post(year),
                    order=len(rows),
                )
            )
    for organization in roles["presenter"]:
        rows.append(
            Participation(
                event=story.event,
                organization=organization,
                role=Participation.Role.PRESENTER,
                order=len(rows),
            )
        )
    return rows


# --- Articles ------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class _Plan:
    published_at: datetime.datetime
    sequence: int
    kind: str = field(compare=False)
    column: str = field(compare=False)
    reference: object = field(compare=False, default=None)
    status: str = field(compare=False, default=Article.Status.PUBLISHED)
    text_day: datetime.date | None = field(compare=False, default=None)
    scheduled: bool = field(compare=False, default=False)


@dataclass(frozen=True)
class _Order:
    """What writing one article needs: plain data, so that a worker process can write it."""

    sequence: int
    kind: str
    day: datetime.date
    meeting: Meeting | None = None
    speech: demo_text.Text | None = None
    report: ActivityReport | None = None
    people: tuple[Participant, ...] = ()


@dataclass(frozen=True)
class _Written:
    title: str
    subtitle: str
    author: str
    source: str
    body: str
    view_count: int
    # A digest of the text segmented, to check that the stored article reads the same.
    digest: bytes
    # What news.search.store_entries takes: the index terms on SQLite, the tsvector literals
    # on PostgreSQL. Only one of them crosses from the worker: both are large.
    terms: segmentation.IndexText | segmentation.TsVectors


def create_articles(
    rng: random.Random,
    count: int,
    span: Span,
    *,
    stories: Sequence[Story] = (),
    reports: Sequence[ActivityReport] = (),
    cast: Cast | None = None,
    pool=None,
    batch_size: int,
    progress: Progress = None,
    timings: Counter | None = None,
) -> list[int | None]:
    """Articles over the span, oldest first; return the id of the article of each report.

    Each event gets a report and each speech its full text in 领导讲话, while the count
    allows; so does each of ``reports`` in 党建工作 (None where the count ran out). The
    rest are notices, association and industry news and party-building items; exactly
    ``STATUS_SHARE`` of all articles each are drafts, in review, withdrawn and scheduled.

    With a ``pool`` (multiprocessing, fork), worker processes write the text and segment it
    while this process stores the batches before. Each article draws from its own stream of
    random numbers, so the data does not depend on the pool or the batch size.
    """
    plans = _plan_articles(rng, count, span, stories, reports)
    pinned = _pinned(plans, max(1, count // PINNED_PER_ARTICLES) if count else 0)
    officials = cast.officials if cast else []
    orders = [_order(rng, plan, officials, reports) for plan in plans]
    seed = rng.getrandbits(64)
    columns, sources = _columns(), _sources()
    vectors = connection.vendor == "postgresql"
    report_ids: list[int | None] = [None] * len(reports)
    done = 0
    written_batches = _in_workers(
        pool, _write_articles, [(seed, batch, vectors) for batch in batches(orders, batch_size)]
    )
    for batch, written in zip(batches(plans, batch_size), written_batches, strict=True):
        articles = [
            Article(
                title=item.title[:200],
                subtitle=item.subtitle,
                column=columns[plan.column],
                source=sources[item.source],
                author=item.author,
                published_at=plan.published_at,
                body=item.body,
                status=plan.status,
                is_pinned=plan.sequence in pinned,
                view_count=item.view_count if plan.status == Article.Status.PUBLISHED else 0,
            )
            for plan, item in zip(batch, written, strict=True)
        ]
        with transaction.atomic():
            Article.objects.bulk_create(articles)
            _link(articles, batch)
            documents = [search.document_for(article) for article in articles]
            _store_entries(documents, _checked(documents, written), timings)
        for plan, article in zip(batch, articles, strict=True):
            if plan.kind == "report":
                report_ids[plan.reference] = article.pk
        done += len(batch)
        if progress:
            progress(done, count)
    return report_ids


def _link(articles: Sequence[Article], plans: Sequence[_Plan]) -> None:
    """The events and speeches the articles report."""
    Article.events.through.objects.bulk_create(
        Article.events.through(article_id=article.pk, event_id=plan.reference.event.pk)
        for article, plan in zip(articles, plans, strict=True)
        if plan.kind == "event"
    )
    Article.speeches.through.objects.bulk_create(
        Article.speeches.through(article_id=article.pk, speech_id=plan.reference[0].pk)
        for article, plan in zip(articles, plans, strict=True)
        if plan.kind == "speech"
    )


def _checked(documents: Sequence[search.Document], written: Sequence[_Written]) -> list:
    """The workers' index terms, or new ones where the stored text reads otherwise."""
    vectors = connection.vendor == "postgresql"
    return [
        item.terms
        if _digest(document.text, document.ranked) == item.digest
        else _document_terms(document.text, document.ranked, vectors)
        for document, item in zip(documents, written, strict=True)
    ]


def _digest(text: str, ranked: str) -> bytes:
    return hashlib.blake2b(f"{text}\0{ranked}".encode(), digest_size=16).digest()


def _plan_articles(
    rng: random.Random,
    count: int,
    span: Span,
    stories: Sequence[Story],
    reports: Sequence[ActivityReport],
) -> list[_Plan]:
    plans: list[_Plan] = []

    def add(kind, column, day, reference=None, status=Article.Status.PUBLISHED):
        if len(plans) < count:
            day = min(day, span.until)
            plans.append(_Plan(moment(rng, day), len(plans), kind, column, reference, status, day))

    for story in stories:
        add("event", story.column, story.meeting.day + _days(rng, 0, 2), story)
    for story in stories:
        for speech, text in story.speeches:
            add("speech", SPEECHES, story.meeting.day + _days(rng, 0, 5), (speech, text))
    for index, report in enumerate(reports):
        add("report", PARTY_BUILDING, report.day + _days(rng, 1, 7), index)
    others = count - len(plans)
    kinds, weights = zip(*OTHER_KINDS, strict=True)
    columns = {
        "notice": NOTICES,
        "association": ASSOCIATION_NEWS,
        "industry": INDUSTRY_NEWS,
        "party": PARTY_BUILDING,
    }
    # Exactly STATUS_SHARE of all articles in each of these, among the other articles.
    special = min(others // 4, round(count * STATUS_SHARE))
    statuses = [
        Article.Status.DRAFT,
        Article.Status.IN_REVIEW,
        Article.Status.WITHDRAWN,
        "scheduled",
    ]
    chosen = rng.sample(range(others), 4 * special)
    status_of = {index: statuses[rank // special] for rank, index in enumerate(chosen)}
    for index in range(others):
        kind = rng.choices(kinds, weights)[0]
        status = status_of.get(index, Article.Status.PUBLISHED)
        if status == Article.Status.DRAFT:
            add(kind, columns[kind], span.until - _days(rng, 0, 45), status=status)
        elif status == Article.Status.IN_REVIEW:
            add(kind, columns[kind], span.until - _days(rng, 0, 30), status=status)
        elif status == "scheduled":
            # The text is dated after ``until``; the time is after the run, so that it waits.
            ahead = datetime.timedelta(minutes=rng.randint(60, 30 * 24 * 60))
            day = span.until + datetime.timedelta(days=ahead.days + 1)
            plans.append(
                _Plan(
                    span.now + ahead, len(plans), kind, columns[kind], text_day=day, scheduled=True
                )
            )
        else:  # published or withdrawn: any time in the span
            add(kind, columns[kind], span.day(rng), status=status)
    return sorted(plans)


def _days(rng: random.Random, low: int, high: int) -> datetime.timedelta:
    return datetime.timedelta(days=rng.randint(low, high))


def _pinned(plans: Sequence[_Plan], count: int) -> set[int]:
    """The latest published articles of 协会动态 and 通知公告 (scheduled ones are not)."""
    candidates = [
        plan
        for plan in plans
        if plan.status == Article.Status.PUBLISHED
        and not plan.scheduled
        and plan.column in (ASSOCIATION_NEWS, NOTICES)
    ]
    return {plan.sequence for plan in candidates[-count:]} if count else set()


COLUMNS = (ASSOCIATION_NEWS, NOTICES, PARTY_BUILDING, SPEECHES, INDUSTRY_NEWS)


def missing_columns() -> list[str]:
    """Slugs of the columns articles go to that are not in the database (see migration 0002)."""
    present = set(Column.objects.filter(slug__in=COLUMNS).values_list("slug", flat=True))
    return [slug for slug in COLUMNS if slug not in present]


def _columns() -> dict[str, Column]:
    return {column.slug: column for column in Column.objects.filter(slug__in=COLUMNS)}


def _sources() -> dict[str, Source]:
    names = (SITE, *OUTSIDE_SOURCES, OLD_PAPER, NEW_PAPER)
    return {name: Source.objects.get_or_create(name=name)[0] for name in names}


def _order(rng: random.Random, plan: _Plan, officials: Sequence[Role], reports) -> _Order:
    """Choose who an article names (from this process's stream) and what it reports."""
    people: tuple[Participant, ...] = ()
    if plan.kind == "association":
        people = tuple(role.at(plan.text_day.year) for role in _distinct(rng, officials, 2))
    elif plan.kind == "notice" and officials:
        people = (rng.choice(officials).at(plan.text_day.year),)
    return _Order(
        sequence=plan.sequence,
        kind=plan.kind,
        day=plan.text_day,
        meeting=plan.reference.meeting if plan.kind == "event" else None,
        speech=plan.reference[1] if plan.kind == "speech" else None,
        report=reports[plan.reference] if plan.kind == "report" else None,
        people=people,
    )


def _write_articles(seed: int, orders: Sequence[_Order], vectors: bool) -> list[_Written]:
    """Write and segment a batch of articles (in a worker process, or in this one)."""
    return [_write_article(seed, order, vectors) for order in orders]


def _write_article(seed: int, order: _Order, vectors: bool) -> _Written:
    rng = random.Random(seed + order.sequence)  # noqa: S311  (demo data, not secrets)
    day = order.day
    source, author = SITE, "市律协"
    if order.kind == "event":
        text = demo_text.meeting_report(rng, order.meeting)
    elif order.kind == "speech":
        text = order.speech
    elif order.kind == "report":
        report = order.report
        text = demo_text.activity_report(
            rng,
            branch=report.branch,
            kind=report.kind,
            topic=report.topic,
            day=report.day,
            venue=report.venue,
            presider=report.presider,
            present=report.present,
        )
        author = "市律师行业党委"
    elif order.kind == "notice":
        text = demo_text.notice(rng, day, order.people[0].name if order.people else "")
    elif order.kind == "industry":
        text = demo_text.industry_news(rng, day)
        paper = OLD_PAPER if day < PAPER_RENAMED else NEW_PAPER
        source, author = rng.choice((*OUTSIDE_SOURCES, paper)), ""
    elif order.kind == "party":
        text = demo_text.party_news(rng, day, "市律师行业党委")
        author = "市律师行业党委"
    else:
        text = demo_text.association_news(rng, day, order.people)
        author = rng.choice(("市律协", "协会秘书处", "市律协宣传部"))
    subtitle = "\n".join(text.subtitle)
    plain = "\n".join([text.title, subtitle, author, *text.paragraphs])
    ranked = search.ranked_text(text.title, subtitle, "\n".join(text.paragraphs))
    return _Written(
        title=text.title,
        subtitle=subtitle,
        author=author,
        source=source,
        body=paragraphs_html(text.paragraphs),
        view_count=int(rng.paretovariate(1.3) * 40),
        digest=_digest(plain, ranked),
        terms=_document_terms(plain, ranked, vectors),
    )


def _in_workers(pool, function, arguments: Sequence[tuple]):
    """``function(*a)`` for each of ``arguments`` in order: in ``pool`` if given, a few ahead."""
    if pool is None:
        for item in arguments:
            yield function(*item)
        return
    pending = deque()
    for item in arguments:
        pending.append(pool.apply_async(function, item))
        if len(pending) > IN_FLIGHT:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


# --- The search index ----------------------------------------------------------------------

# A large load drops the GIN indexes and builds them again at the end (reindex_search too).
search_index_load = search.indexes_rebuilt_after


# Characters that news.segmentation folds to a space: jieba never joins words across one,
# and no gram spans one, so a text's index terms are its clauses' terms, one after another.
_CLAUSE_BREAKS = re.compile("[\n，。；：、！？“”《》（）—　]")
MARKER = segmentation.LONG_TEXT_MARKER


@functools.lru_cache(maxsize=1 << 18)
def _clause_tokens(clause: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    terms = segmentation.index_terms(clause)
    return tuple(terms.words.split()), tuple(terms.grams.split())


def _tokens(text: str) -> tuple[list[str], list[str]] | None:
    """The words and grams of ``text``, clause by clause (None if a clause alone is long).

    Generated articles repeat the clauses of their phrase banks, so most clauses are
    segmented once for the whole run.
    """
    words: list[str] = []
    grams: list[str] = []
    for clause in _CLAUSE_BREAKS.split(text):
        if clause:
            clause_words, clause_grams = _clause_tokens(clause)
            if clause_grams and clause_grams[-1] == MARKER:
                return None
            words += clause_words
            grams += clause_grams
    return words, grams


def index_terms(text: str, ranked: str | None = None) -> segmentation.IndexText:
    """``segmentation.index_terms(text, ranked)``, from the clauses' cached terms.

    The same as segmenting the whole text, long-text marker included
    (tests/demo/test_text.py checks it).
    """
    tokens = _tokens(text)
    words = tokens and (tokens[0] if ranked is None else _ranked_words(ranked))
    if tokens is None or words is None:
        return segmentation.index_terms(text, ranked)
    return segmentation.IndexText(
        words=" ".join(words), grams=" ".join(segmentation.marked_if_long(tokens[1]))
    )


def tsvectors(text: str, ranked: str | None = None) -> segmentation.TsVectors:
    """The tsvector literals of ``index_terms(text, ranked)``, by the site's own encoder."""
    tokens = _tokens(text)
    words = tokens and (tokens[0] if ranked is None else _ranked_words(ranked))
    if tokens is None or words is None:
        return segmentation.tsvectors(segmentation.index_terms(text, ranked))
    return segmentation.TsVectors(
        segmentation.tsvector_literal(segmentation.marked_if_long(tokens[1])),
        segmentation.tsvector_literal(words),
    )


def _ranked_words(ranked: str) -> list[str] | None:
    tokens = _tokens(ranked)
    return None if tokens is None else tokens[0]


def _document_terms(text: str, ranked: str, vectors: bool):
    """The index terms for SQLite, the tsvector literals for PostgreSQL (both are large)."""
    return tsvectors(text, ranked) if vectors else index_terms(text, ranked)


def _segment(documents: Sequence[search.Document], pool=None) -> Callable[[], list]:
    """Start segmenting the documents (in ``pool`` if given); call the result for the terms."""
    vectors = connection.vendor == "postgresql"
    arguments = [(document.text, document.ranked, vectors) for document in documents]
    if pool is None:
        return lambda: [_document_terms(*item) for item in arguments]
    return pool.starmap_async(_document_terms, arguments, chunksize=64).get


def _store_entries(
    documents: Sequence[search.Document], terms: Sequence, timings: Counter | None
) -> None:
    """Write the entries through ``news.search.store_entries``, and time it."""
    started = time.perf_counter()
    search.store_entries(documents, terms)
    if timings is not None:
        timings["index"] += time.perf_counter() - started
