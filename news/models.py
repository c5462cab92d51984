import functools

from django.conf import settings
from django.contrib import admin
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import DocumentField, RandomName, RichTextField, SafeImageField
from core.models import Stamped
from core.text import html_to_text, summarize
from members.models import Organization, Person


class Column(models.Model):
    """A section of the site (栏目): 协会动态, 通知公告, 党建工作 …"""

    name = models.CharField(_("name"), max_length=50, unique=True)
    slug = models.SlugField(
        _("slug"),
        unique=True,
        help_text=_("Letters, digits and hyphens for the address, e.g. notices. Never change it."),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Smaller numbers come first in the menu.")
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("column")
        verbose_name_plural = _("columns")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("news:column", kwargs={"slug": self.slug})


class Source(models.Model):
    """Where an item comes from (信息来源): 本站原创, 司法部网站 …"""

    name = models.CharField(_("name"), max_length=100, unique=True)
    url = models.URLField(_("web address"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.name


# What a list row shows of an article (news/templatetags/article_lists.py).
LISTED_FIELDS = (
    "title",
    "published_at",
    "lead_text",
    "column__name",
    "column__slug",
    "source__name",
)


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What the public may read: published, and its publication time has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def for_listing(self):
        return self.select_related("column", "source")

    def summaries(self):
        """For list pages: only what a list shows (title, lead, time, column and source).

        Reading anything else of a listed article costs a query per row (tests count them).
        """
        return self.for_listing().only(*LISTED_FIELDS)


def lead_of(summary: str, body: str) -> str:
    """The lead lists show: the summary as written, or the opening of the body."""
    return summary or summarize(html_to_text(body))


class LeadField(models.TextField):
    """The plain-text lead, derived from the summary and the body whenever the row is written.

    Deriving it in `pre_save` covers `save()` and `bulk_create` alike (the body's own field,
    declared before, is sanitised first), so a list never reads or converts the body.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = lead_of(model_instance.summary, model_instance.body)
        setattr(model_instance, self.attname, value)
        return value


class Article(Stamped):
    """One published item (新闻 / 报道 / 稿件)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    title = models.CharField(_("title"), max_length=200)
    subtitle = models.TextField(
        _("subtitle"), blank=True, help_text=_("One line per subtitle line, as printed.")
    )
    column = models.ForeignKey(
        Column, models.PROTECT, related_name="articles", verbose_name=_("column")
    )
    source = models.ForeignKey(
        Source, models.PROTECT, related_name="articles", verbose_name=_("source")
    )
    author = models.CharField(
        _("author"), max_length=100, blank=True, help_text=_("The byline as printed, e.g. 市律协.")
    )
    published_at = models.DateTimeField(
        _("publication time"),
        default=timezone.now,
        help_text=_(
            "A published article appears on the site at this time; "
            "a time in the future schedules it."
        ),
    )
    body = RichTextField(_("body"))
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("Shown in lists and feeds. Left empty, the opening of the body is used."),
    )
    lead_text = LeadField(_("lead"))
    cover_image = SafeImageField(
        _("cover image"), upload_to=RandomName("covers"), blank=True, max_length=200
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=_(
            "Editors save drafts and submit them for review; reviewers publish and withdraw."
        ),
    )
    is_pinned = models.BooleanField(
        _("pinned"), default=False, help_text=_("Pinned articles stay at the top of the home page.")
    )
    # Set by the import of legacy pages (news.importers).
    legacy_url = models.CharField(
        _("legacy address"),
        max_length=500,
        null=True,
        blank=True,
        unique=True,
        help_text=_("The article's address on the old site; that address redirects here."),
    )
    needs_review = models.BooleanField(
        _("to be checked"),
        default=False,
        db_index=True,
        help_text=_("Imported with doubts: check the fields named below, then untick."),
    )
    import_doubts = models.TextField(
        _("doubts from the import"), blank=True, help_text=_("One doubt a line.")
    )
    return_reason = models.TextField(
        _("reason for return"),
        blank=True,
        help_text=_("What the reviewer asked the editor to change; cleared when resubmitted."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("submitted by"),
    )
    events = models.ManyToManyField(
        "Event", blank=True, related_name="articles", verbose_name=_("events reported")
    )
    speeches = models.ManyToManyField(
        "Speech", blank=True, related_name="articles", verbose_name=_("speeches reported")
    )
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["view_count", "submitted_at", "submitted_by", "lead_text"],
        m2m_fields=[events, speeches],
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        get_latest_by = "published_at"
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [
            ("publish_article", _("Can publish and withdraw articles")),
            ("pin_article", _("Can pin articles")),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="article_public_idx"),
            models.Index(
                fields=["column", "status", "-published_at", "-id"], name="article_column_idx"
            ),
            models.Index(
                fields=["source", "status", "-published_at", "-id"], name="article_source_idx"
            ),
            # The admin's list in every status, newest first, and its date drill-down.
            models.Index(fields=["-published_at", "-id"], name="article_newest_idx"),
            # The few pinned articles: the home page's top and the admin's "pinned" filter.
            models.Index(
                fields=["-published_at", "-id"],
                condition=models.Q(is_pinned=True),
                name="article_pinned_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return article_paths()(self.local_published_at, self.pk)

    @property
    def local_published_at(self):
        """The publication time in the site's time zone, as dates are shown and addressed."""
        return timezone.localtime(self.published_at)

    @admin.display(boolean=True, description=_("visible to the public"))
    def is_published(self):
        """Agrees with ArticleQuerySet.published(), for one article."""
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    @property
    def subtitle_lines(self):
        return [line.strip() for line in self.subtitle.splitlines() if line.strip()]

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is not None and {"body", "summary"} & set(update_fields):
            update_fields = {*update_fields, "lead_text"}
        super().save(*args, update_fields=update_fields, **kwargs)

    @property
    def lead(self):
        """The summary as written, or the opening of the body (stored on save as lead_text).

        A version from the history has no stored lead: it is derived then, unless the body
        was left out of the query (a list page never reads the body).
        """
        if self.lead_text or "body" in self.get_deferred_fields():
            return self.lead_text
        return lead_of(self.summary, self.body)


# Markers for article_paths: digits the article address's pattern accepts, each found once.
_PATH_MARKERS = {"year": "1987", "month": "35", "day": "62", "pk": "4444444"}


@functools.lru_cache(maxsize=16)
def _article_path_format(script_prefix: str, urlconf) -> str | None:
    path = reverse("news:article", kwargs=_PATH_MARKERS, urlconf=urlconf)
    if any(path.count(marker) != 1 for marker in _PATH_MARKERS.values()):
        return None
    for name, marker in _PATH_MARKERS.items():
        path = path.replace(marker, "{" + name + "}")
    return path


def article_paths():
    """A function of (local publication time, pk) giving the article's address.

    It returns what reverse("news:article", …) does, without resolving the URL each time: a
    list shows twenty addresses a page, so their form is read from the URLconf once (per
    script prefix and URLconf) and then only filled in.
    """
    form = _article_path_format(get_script_prefix(), get_urlconf(settings.ROOT_URLCONF))

    def path(local, pk):
        kwargs = {
            "year": f"{local.year:04d}",
            "month": f"{local.month:02d}",
            "day": f"{local.day:02d}",
            "pk": pk,
        }
        if form is None:
            return reverse("news:article", kwargs=kwargs)
        return form.format(**kwargs)

    return path


class Attachment(models.Model):
    """A file offered for download with an article (附件)."""

    article = models.ForeignKey(
        Article, models.CASCADE, related_name="attachments", verbose_name=_("article")
    )
    title = models.CharField(_("title"), max_length=200)
    file = DocumentField(_("file"), upload_to=RandomName("attachments"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title

    @property
    def extension(self):
        return self.file.name.rsplit(".", 1)[-1].upper()


# One publication rule for everything a report says: an event, a speech, a participant, a
# person or an organisation is public only while a published article names it (directly, or
# through a reported event). Each query below starts from Article.objects.published(), so the
# rule for articles is the rule for them, and a fact recorded from a draft waits for the draft.
# Each is an EXISTS per row rather than an IN over every published article: PostgreSQL then
# looks up the few rows a page or a rare search word needs instead of hashing them all.


def _reported(event) -> Exists:
    """Whether a published article reports ``event`` (an ``OuterRef`` to an event's id)."""
    return Exists(Article.objects.published().filter(events=event))


class EventQuerySet(models.QuerySet):
    def public(self):
        """Events a published article reports."""
        return self.filter(_reported(OuterRef("pk")))


class SpeechQuerySet(models.QuerySet):
    def public(self):
        """Speeches a published article reports."""
        return self.filter(Exists(Article.objects.published().filter(speeches=OuterRef("pk"))))

    def with_public_event(self):
        """Set `public_event` on each speech: its event if it may be named and linked, else None.

        Looked up for the speeches fetched (a page of them) in one query after theirs: as an
        annotation, PostgreSQL planned it for every public speech and hashed every published
        article's events, which cost more than the page.
        """
        # What a speech shows of its event: its name, dates and link, never its description.
        events = Event.objects.public().defer("description")
        return self.prefetch_related(
            models.Prefetch("event", queryset=events, to_attr="public_event")
        )


class ParticipationQuerySet(models.QuerySet):
    def public(self):
        """Who took part in the events that published articles report."""
        return self.filter(_reported(OuterRef("event_id")))


# The rules for people and organisations go from the article to them in one EXISTS each, not
# through the event's and the participation's rules nested: the same rows, in a query with
# fewer levels for Django to build and PostgreSQL to plan.
def public_people():
    """People a published report names: as a participant of a reported event, or a speaker."""
    published = Article.objects.published()
    return Person.objects.filter(
        Q(Exists(published.filter(events__participations__person=OuterRef("pk"))))
        | Q(Exists(published.filter(speeches__speaker=OuterRef("pk"))))
    )


def public_organizations():
    """Organisations a published report names: taking part in a reported event, or its organiser."""
    published = Article.objects.published()
    return Organization.objects.filter(
        Q(Exists(published.filter(events__participations__organization=OuterRef("pk"))))
        | Q(Exists(published.filter(events__organizer=OuterRef("pk"))))
    )


def is_public(record) -> bool:
    """Whether a published report names `record` (an event, speech, person or organisation)."""
    if record is None or record.pk is None:
        return False
    public = {
        Event: lambda: Event.objects.public(),
        Speech: lambda: Speech.objects.public(),
        Participation: lambda: Participation.objects.public(),
        Person: public_people,
        Organization: public_organizations,
    }[type(record)]
    return public().filter(pk=record.pk).exists()


class Event(models.Model):
    """An occasion with a date and a place (座谈会 / 会议 / 活动), not the day it was reported."""

    name = models.CharField(_("name"), max_length=200)
    start_date = models.DateField(
        _("date"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the report does not give the year; say what it gives below."),
    )
    end_date = models.DateField(_("end date"), null=True, blank=True)
    date_as_written = models.CharField(
        _("date as written"),
        max_length=50,
        blank=True,
        help_text=_("The date as the report gives it, e.g. 7月30日, when the year is unknown."),
    )
    place = models.CharField(_("place"), max_length=100, blank=True)
    organizer = models.ForeignKey(
        Organization,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="organized_events",
        verbose_name=_("organiser"),
    )
    theme = models.CharField(
        _("campaign or theme"),
        max_length=200,
        blank=True,
        help_text=_("e.g. 创先争优活动"),
    )
    description = RichTextField(_("description"), blank=True)
    history = HistoricalRecords()

    objects = EventQuerySet.as_manager()

    class Meta:
        # PostgreSQL has an index in this order (migration 0016).
        ordering = [models.F("start_date").desc(nulls_last=True), "-id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=False, end_date__gte=models.F("start_date")),
                name="event_ends_after_it_starts",
                violation_error_message=_("An event cannot end before it starts."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("news:event", kwargs={"pk": self.pk})

    @property
    def year_is_unknown(self):
        return self.start_date is None


class Speech(models.Model):
    """A speech (讲话 / 致辞): who spoke, in which post at the time, at which event."""

    speaker = models.ForeignKey(
        Person, models.PROTECT, related_name="speeches", verbose_name=_("speaker")
    )
    speaker_post = models.CharField(
        _("speaker's post"),
        max_length=200,
        blank=True,
        help_text=_("The post the speaker held then, as printed, e.g. 司法部党组书记、部长."),
    )
    event = models.ForeignKey(
        Event,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="speeches",
        verbose_name=_("event"),
    )
    date = models.DateField(
        _("date"), null=True, blank=True, help_text=_("Empty: the date of the event.")
    )
    title = models.CharField(_("title"), max_length=200)
    text = RichTextField(_("full text or key points"), blank=True)
    history = HistoricalRecords()

    objects = SpeechQuerySet.as_manager()

    class Meta:
        # PostgreSQL has an index in this order (migration 0016).
        ordering = [models.F("date").desc(nulls_last=True), "-id"]
        verbose_name = _("speech")
        verbose_name_plural = _("speeches")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:speech", kwargs={"pk": self.pk})

    @property
    def held_on(self):
        """The day of the speech, or of its event when not given on the speech."""
        return self.date or (self.event.start_date if self.event_id else None)


class Participation(models.Model):
    """Who took part in an event, in which role, with the post they held then, in report order."""

    class Role(models.TextChoices):
        HOST = "host", _("Host")
        SPEAKER = "speaker", _("Speaker")
        ATTENDEE = "attendee", _("Attendee")
        PRESENTER = "presenter", _("Presenter")
        GUEST = "guest", _("Guest")

    event = models.ForeignKey(
        Event, models.CASCADE, related_name="participations", verbose_name=_("event")
    )
    person = models.ForeignKey(
        Person,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("person"),
    )
    organization = models.ForeignKey(
        Organization,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("organisation"),
        help_text=_("The organisation taking part, or the one the person represented."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    post = models.CharField(
        _("post"),
        max_length=200,
        blank=True,
        help_text=_("The post held at the time, as printed (posts change; keep it here)."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(organization__isnull=False),
                name="participation_names_someone",
                violation_error_message=_("Name a person or an organisation."),
            )
        ]

    def __str__(self):
        return str(self.person or self.organization)


class ExtractionProposal(models.Model):
    """A person or organisation that 全部识别 found in an imported article, for an editor."""

    class Status(models.TextChoices):
        PENDING = "pending", _("To be judged")
        ACCEPTED = "accepted", _("Accepted")
        CORRECTED = "corrected", _("Corrected")
        REJECTED = "rejected", _("Rejected")

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANIZATION = "organization", _("Organisation")

    article = models.ForeignKey(
        Article, models.CASCADE, related_name="extraction_proposals", verbose_name=_("article")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name as found"), max_length=200)
    post = models.CharField(_("post as found"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Participation.Role.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    final_name = models.CharField(_("name"), max_length=200, blank=True)
    final_post = models.CharField(_("post"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("judged by"),
    )
    decided_at = models.DateTimeField(_("judged at"), null=True, blank=True)
    created_at = models.DateTimeField(_("found at"), auto_now_add=True)

    class Meta:
        ordering = ["article_id", "order", "id"]
        verbose_name = _("recognised name")
        verbose_name_plural = _("recognised names")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "kind", "name", "role"], name="one_proposal_per_name_and_role"
            )
        ]

    def __str__(self):
        return self.final_name or self.name


class SearchEntry(models.Model):
    """One searchable item (article, speech or event) with its filters and its search vectors.

    The vectors are written by `news.search` on save: on PostgreSQL into the two tsvector
    columns below (GIN-indexed), on SQLite into the FTS5 table `news_searchentry_fts`.
    """

    class Kind(models.TextChoices):
        ARTICLE = "article", _("Article")
        SPEECH = "speech", _("Speech")
        EVENT = "event", _("Event")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(_("title"), max_length=200)
    # When the item is dated for readers: an article's publication, a speech's or event's day.
    date = models.DateTimeField(_("date"), null=True, db_index=True)
    is_public = models.BooleanField(default=True)
    # No index of their own: a search finds its candidates through the grams' GIN index and
    # filters them by column and source in the (narrow) rows. Offered an index here, the
    # planner reads every entry of a column and tests the words on each entry's vector,
    # which it does not know is stored aside (migration 0017): 21,000 vectors read, 140 ms.
    column = models.ForeignKey(Column, models.CASCADE, null=True, related_name="+", db_index=False)
    source = models.ForeignKey(Source, models.CASCADE, null=True, related_name="+", db_index=False)
    grams_vector = SearchVectorField(null=True, editable=False)
    words_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_entry_per_item")
        ]
        # A search reads entries newest first and stops once its page is full, through
        # search_newest_idx (date DESC NULLS LAST, id DESC), made by migration 0012 per database.
        indexes = [models.Index(fields=["is_public", "-date"], name="search_public_date_idx")]

    def __str__(self):
        return self.title
