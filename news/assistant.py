"""The extraction assistant: rule-based proposals from an article's text, confirmed by an editor.

`news.extraction` reads the text; this module turns its proposals into forms the editor can
correct or untick, matches names against the people and organisations already recorded, and
saves what was confirmed in one transaction. Nothing is saved without that confirmation.
"""

from dataclasses import replace

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.text import html_to_text
from members.models import Organization, Person
from news.extraction import Extraction, extract
from news.legacy import as_written, half_width, matching_form
from news.models import Article, Event, Participation, Speech

NEW = ""

# The kind of an organisation from how its name ends, most specific first.
ORGANIZATION_KIND_BY_ENDING = [
    (("党支部", "党总支", "党委", "党组"), Organization.Kind.PARTY_ORGANIZATION),
    (("律师事务所",), Organization.Kind.LAW_FIRM),
    (("律师协会", "律协"), Organization.Kind.BAR_ASSOCIATION),
    (("司法厅", "司法局", "司法厅(局)", "司法局(厅)"), Organization.Kind.JUSTICE_BUREAU),
    (("部", "厅", "局", "委员会", "政府", "办公室"), Organization.Kind.GOVERNMENT),
]


def guess_organization_kind(name: str) -> str:
    for endings, kind in ORGANIZATION_KIND_BY_ENDING:
        if name.endswith(endings):
            return kind
    return Organization.Kind.OTHER


class AlreadyRecorded(Exception):
    """The article already covers an event of that name: a second submit adds nothing."""


class EventProposalForm(forms.Form):
    include = forms.BooleanField(label=_("Keep"), required=False, initial=True)
    name = forms.CharField(label=_("Event"), max_length=200, required=False)
    start_date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Fill in only when the year is known."),
    )
    date_as_written = forms.CharField(label=_("Date as written"), max_length=50, required=False)
    place = forms.CharField(label=_("Place"), max_length=100, required=False)

    def clean(self):
        data = super().clean()
        if data.get("include") and not data.get("name"):
            self.add_error("name", _("Give the event a name, or untick it."))
        return data


class ProposalForm(forms.Form):
    """One proposed person or organisation; `match` links it to an existing record or a new one."""

    include = forms.BooleanField(label=_("Keep"), required=False, initial=True)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("person", _("Person")), ("organization", _("Organisation"))]
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    post = forms.CharField(label=_("Post"), max_length=200, required=False)
    match = forms.ChoiceField(label=_("Record"), required=False)

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        name = self.data.get(self.add_prefix("name")) if self.is_bound else self.initial.get("name")
        kind = self.data.get(self.add_prefix("kind")) if self.is_bound else self.initial.get("kind")
        found = (candidates or {}).get((kind, name), [])
        self.fields["match"].choices = [
            (NEW, _("New record")),
            *((str(r.pk), str(r)) for r in found),
        ]


class ParticipantProposalForm(ProposalForm):
    role = forms.ChoiceField(label=_("Role"), choices=Participation.Role.choices)
    order = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class SpeechProposalForm(ProposalForm):
    title = forms.CharField(label=_("Speech title"), max_length=200)


ParticipantFormSet = forms.formset_factory(ParticipantProposalForm, extra=0)
SpeechFormSet = forms.formset_factory(SpeechProposalForm, extra=0)


def extract_as_written(text: str) -> Extraction:
    """Extract on the Simplified form; names and posts in the text's characters (Traditional
    stays Traditional), punctuation half-width as `news.extraction` gives it."""
    form = matching_form(text)
    found = extract(form, published_on=None)

    def written(value: str) -> str:
        return half_width(as_written(value, form, text))

    event = found.event and replace(
        found.event, name=written(found.event.name), place=written(found.event.place)
    )
    return replace(
        found,
        event=event,
        speeches=[
            replace(s, speaker=written(s.speaker), post=written(s.post)) for s in found.speeches
        ],
        participants=[
            replace(p, name=written(p.name), post=written(p.post)) for p in found.participants
        ],
    )


def propose(article: Article) -> tuple[Extraction, dict, list[dict], list[dict]]:
    """The extraction of `article` and the initial data of the three forms."""
    extraction = extract_as_written(html_to_text(article.body))
    event = extraction.event
    event_initial = {"include": event is not None}
    if event:
        known_year = event.date and event.date.year
        event_initial.update(
            name=event.name,
            place=event.place,
            start_date=(
                f"{event.date.year:04d}-{event.date.month:02d}-{event.date.day:02d}"
                if known_year
                else None
            ),
            date_as_written=(
                f"{event.date.month}月{event.date.day}日" if event.date and not known_year else ""
            ),
        )
    candidates = find_candidates(
        [(p.kind, p.name) for p in extraction.participants]
        + [("person", s.speaker) for s in extraction.speeches]
    )
    participants = [
        {
            "include": True,
            "kind": p.kind,
            "name": p.name,
            "post": p.post,
            "role": p.role,
            "order": p.order,
            "match": first_match(candidates, p.kind, p.name),
        }
        for p in extraction.participants
    ]
    speeches = [
        {
            "include": True,
            "kind": "person",
            "name": s.speaker,
            "post": s.post,
            "title": speech_title(article, s.speaker, event.name if event else ""),
            "match": first_match(candidates, "person", s.speaker),
        }
        for s in extraction.speeches
    ]
    return extraction, event_initial, participants, speeches


def speech_title(article: Article, speaker: str, event_name: str) -> str:
    if speaker in article.title and ("讲话" in article.title or "致辞" in article.title):
        return article.title
    if event_name:
        return f"{speaker}在{event_name}上的讲话"
    return f"{speaker}的讲话"


def find_candidates(keys: list[tuple[str, str]]) -> dict:
    """Existing records by (kind, name), two queries whatever the number of names."""
    people = {name for kind, name in keys if kind == "person"}
    organizations = {name for kind, name in keys if kind == "organization"}
    found: dict[tuple[str, str], list] = {}
    for person in Person.objects.filter(name__in=people):
        found.setdefault(("person", person.name), []).append(person)
    for organization in Organization.objects.filter(name__in=organizations):
        found.setdefault(("organization", organization.name), []).append(organization)
    return found


def first_match(candidates: dict, kind: str, name: str) -> str:
    found = candidates.get((kind, name))
    return str(found[0].pk) if found else NEW


def candidates_for_post(data) -> dict:
    """The candidates for a submitted form: the names as the editor left them."""
    keys = []
    for prefix in ("participants", "speeches"):
        total = _int(data.get(f"{prefix}-TOTAL_FORMS"))
        for index in range(min(total, 500)):
            keys.append(
                (
                    data.get(f"{prefix}-{index}-kind", "person"),
                    data.get(f"{prefix}-{index}-name", ""),
                )
            )
    return find_candidates(keys)


def _int(value) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0


class _Records:
    """Resolves names to records within one confirmation: one new person per name, not two."""

    def __init__(self):
        self.created: dict[tuple[str, str], object] = {}

    def resolve(self, kind: str, name: str, match: str):
        model = Person if kind == "person" else Organization
        if match:
            return model.objects.get(pk=match)
        key = (kind, name)
        if key not in self.created:
            if kind == "person":
                self.created[key] = Person.objects.create(name=name)
            else:
                self.created[key] = Organization.objects.create(
                    name=name, kind=guess_organization_kind(name)
                )
        return self.created[key]


@transaction.atomic
def accept(article: Article, event_data: dict, participants: list[dict], speeches: list[dict]):
    """Save what the editor kept; return the event (or None)."""
    event = None
    if event_data.get("include"):
        if article.events.filter(name=event_data["name"]).exists():
            raise AlreadyRecorded(event_data["name"])
        event = Event.objects.create(
            name=event_data["name"],
            start_date=event_data.get("start_date"),
            date_as_written="" if event_data.get("start_date") else event_data["date_as_written"],
            place=event_data.get("place", ""),
        )
        article.events.add(event)
    records = _Records()
    if event:
        Participation.objects.bulk_create(
            [
                Participation(
                    event=event,
                    role=row["role"],
                    post=row["post"],
                    order=row["order"],
                    **{row["kind"]: records.resolve(row["kind"], row["name"], row["match"])},
                )
                for row in participants
                if row.get("include")
            ]
        )
    for row in speeches:
        if row.get("include"):
            speech = Speech.objects.create(
                speaker=records.resolve("person", row["name"], row["match"]),
                speaker_post=row["post"],
                event=event,
                title=row["title"],
            )
            article.speeches.add(speech)
    return event


def accept_proposals(article: Article):
    """Record every proposal for `article` as it stands, as an editor accepting them unchanged."""
    _extraction, event, participants, speeches = propose(article)
    event.setdefault("date_as_written", "")
    event.setdefault("start_date", None)
    return accept(article, event, participants, speeches)
