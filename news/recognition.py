"""全部识别: the extraction run over imported articles, and the queue editors work through.

Each person or organisation the extraction proposes for an article becomes an
ExtractionProposal, pending until an editor accepts it as found, corrects it or rejects it.
Names and posts are found on the Simplified form of the text and kept as the article writes
them. Accepting records the person (or organisation) and, when the article reports exactly
one event, their participation in it.
"""

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from core.text import html_to_text
from members.models import Organization, Person
from news.assistant import guess_organization_kind
from news.extraction import extract
from news.legacy import as_written, matching_form
from news.models import Article, ExtractionProposal, Participation


def proposals_for(article: Article) -> list[ExtractionProposal]:
    """What the extraction finds in one article, as unsaved proposals."""
    text = article.title + "\n" + html_to_text(article.body)
    form = matching_form(text)
    extraction = extract(form, published_on=None)
    return [
        ExtractionProposal(
            article=article,
            kind=found.kind,
            name=as_written(found.name, form, text)[:200],
            post=as_written(found.post, form, text)[:200],
            role=found.role,
            order=found.order,
        )
        for found in extraction.participants
    ]


def recognise_all(articles=None, batch_size: int = 200) -> int:
    """Fill the queue for every imported article not yet read; returns the proposals added."""
    if articles is None:
        articles = Article.objects.filter(legacy_url__isnull=False)
    pending = articles.exclude(extraction_proposals__isnull=False).order_by("pk")
    added = 0
    batch: list[ExtractionProposal] = []
    for article in pending.only("pk", "title", "body").iterator(chunk_size=batch_size):
        batch.extend(proposals_for(article))
        if len(batch) >= batch_size:
            added += _save(batch)
            batch = []
    return added + _save(batch)


def _save(batch: list[ExtractionProposal]) -> int:
    if not batch:
        return 0
    ExtractionProposal.objects.bulk_create(batch, ignore_conflicts=True)
    return len(batch)


def counts() -> dict[str, int]:
    """How many proposals are in each state, every state named."""
    found = dict.fromkeys(ExtractionProposal.Status.values, 0)
    for row in ExtractionProposal.objects.values("status").order_by().annotate(n=Count("id")):
        found[row["status"]] = row["n"]
    return found


@transaction.atomic
def decide(proposal: ExtractionProposal, user, status: str, name: str = "", post: str = ""):
    """Accept (as found or corrected) or reject one proposal."""
    proposal.status = status
    proposal.decided_by = user
    proposal.decided_at = timezone.now()
    if status == ExtractionProposal.Status.CORRECTED:
        proposal.final_name, proposal.final_post = name or proposal.name, post
    elif status == ExtractionProposal.Status.ACCEPTED:
        proposal.final_name, proposal.final_post = proposal.name, proposal.post
    proposal.save()
    if status in (ExtractionProposal.Status.ACCEPTED, ExtractionProposal.Status.CORRECTED):
        _record(proposal)


def _record(proposal: ExtractionProposal) -> None:
    name = proposal.final_name
    if proposal.kind == ExtractionProposal.Kind.PERSON:
        record = Person.objects.filter(name=name).first() or Person.objects.create(name=name)
        who = {"person": record}
    else:
        record = Organization.objects.filter(name=name).first() or Organization.objects.create(
            name=name, kind=guess_organization_kind(name)
        )
        who = {"organization": record}
    events = list(proposal.article.events.all()[:2])
    if len(events) == 1 and not events[0].participations.filter(**who).exists():
        Participation.objects.create(
            event=events[0],
            role=proposal.role,
            post=proposal.final_post,
            order=proposal.order,
            **who,
        )
