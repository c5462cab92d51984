"""A set of public pages rendered from demo data, for the HTML and accessibility validators."""

import datetime
import io
from pathlib import Path

from django.core.management import call_command

from members.models import Organization, Person
from news.models import Article, Event, Participation, Speech
from tests.members.pages import directory_pages
from tests.party_building.factories import (
    ActivityFactory,
    BranchFactory,
    CommitmentFactory,
    member_of,
    party_article,
)

SEED = Path(__file__).resolve().parents[1] / "demo" / "articles" / "000_jinggangshan_speech.txt"
# The one page among them that must answer 404 (the page a reader gets for a wrong address);
# every other page must answer 200.
NOT_FOUND_PAGES = {"/no-such-page/"}


def expected_status(url: str) -> int:
    return 404 if url in NOT_FOUND_PAGES else 200


def build_public_pages() -> list[str]:
    """Create the demo content and return the address of every kind of public page."""
    call_command("import_articles", str(SEED), column="speeches", stdout=io.StringIO())
    article = Article.objects.get()
    event = Event.objects.create(
        name="全国律师行业党的基层组织和党员创先争优活动座谈会",
        date_as_written="7月30日",
        place="井冈山",
        theme="创先争优活动",
    )
    minister = Person.objects.create(name="吴爱英")
    branch = Organization.objects.create(
        name="湖南天地人律师事务所党支部", kind=Organization.Kind.PARTY_ORGANIZATION
    )
    Participation.objects.create(
        event=event, person=minister, role="speaker", post="司法部党组书记、部长"
    )
    Participation.objects.create(event=event, organization=branch, role="presenter", order=1)
    speech = Speech.objects.create(
        speaker=minister, speaker_post="司法部党组书记、部长", event=event, title=article.title
    )
    article.events.add(event)
    article.speeches.add(speech)
    party_branch = BranchFactory(name="湖南天地人律师事务所党支部")
    ActivityFactory(branch=party_branch, kind="themed_day", article=party_article())
    commitment = CommitmentFactory(
        member=member_of(party_branch, start=datetime.date(2009, 1, 1)),
        is_public=True,
        result="fulfilled",
        reviewed_on=datetime.date(2011, 12, 20),
    )
    year = article.published_at.year
    return [
        "/",
        "/news/",
        f"/news/?source={article.source_id}&year={year}",
        "/news/?date_from=not-a-date",
        "/archive/",
        f"/archive/{year}/",
        f"/archive/{year}/05/",
        "/columns/speeches/",
        article.get_absolute_url(),
        "/search/",
        "/search/?q=井冈山+律师",
        "/search/?q=不存在的词语",
        "/events/",
        event.get_absolute_url(),
        "/speeches/",
        speech.get_absolute_url(),
        f"/people/{minister.pk}/",
        f"/organizations/{branch.pk}/",
        "/no-such-page/",
        "/columns/party-building/",
        "/feeds/",
        "/party/public/branches/",
        f"/party/public/branches/{party_branch.pk}/",
        "/party/public/campaigns/",
        commitment.campaign.get_absolute_url(),
        *directory_pages(),
    ]
