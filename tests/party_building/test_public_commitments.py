"""The campaigns' public page lists only the commitments the committee published."""

import datetime

import pytest
from django.urls import reverse

from party_building.models import Commitment
from tests.party_building.factories import (
    BranchFactory,
    CampaignFactory,
    CommitmentFactory,
    administrator,
    member_of,
    secretary_of,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def campaign():
    campaign = CampaignFactory(name="创先争优活动")
    branch = BranchFactory(name="天地人律师事务所党支部")
    zhang = member_of(branch, start=D(2009, 1, 1), member__person__name="张三")
    li = member_of(branch, start=D(2009, 1, 1), member__person__name="李四")
    CommitmentFactory(
        member=zhang,
        campaign=campaign,
        text="每年办理法律援助案件不少于三件",
        is_public=True,
        result=Commitment.Result.FULFILLED,
        reviewed_on=D(2011, 12, 20),
        review="内部评议意见：已办理五件",
    )
    CommitmentFactory(member=li, campaign=campaign, text="李四的未公开承诺")
    return campaign


def test_the_campaign_page_shows_only_published_commitments(client, campaign):
    page = client.get(reverse("party_building:public-campaign", args=[campaign.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "张三" in text and "每年办理法律援助案件不少于三件" in text
    assert "天地人律师事务所党支部" in text  # the branch the member was in when committing
    assert "已兑现" in text
    assert "李四" not in text and "李四的未公开承诺" not in text


def test_the_review_text_and_member_details_stay_private(client, campaign):
    text = client.get(reverse("party_building:public-campaign", args=[campaign.pk])).content
    text = text.decode()
    assert "内部评议意见" not in text  # the review's text is the committee's
    assert "2005-07-01" not in text  # the day the member joined the party


def test_a_campaign_without_published_commitments_is_not_public(client):
    hidden = CommitmentFactory(campaign=CampaignFactory(name="未公开的活动")).campaign
    assert (
        client.get(reverse("party_building:public-campaign", args=[hidden.pk])).status_code == 404
    )
    listing = client.get(reverse("party_building:public-campaign-list")).content.decode()
    assert "未公开的活动" not in listing


def test_the_list_names_campaigns_with_published_commitments(client, campaign):
    listing = client.get(reverse("party_building:public-campaign-list")).content.decode()
    assert "创先争优活动" in listing and campaign.get_absolute_url() in listing


def test_public_campaigns_are_in_the_sitemap_and_hidden_ones_are_not(client, campaign):
    hidden = CommitmentFactory(campaign=CampaignFactory(name="未公开的活动")).campaign
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-party-campaigns.xml" in index
    section = client.get("/sitemap-party-campaigns.xml").content.decode()
    assert campaign.get_absolute_url() in section
    assert hidden.get_absolute_url() not in section


def test_the_campaign_page_runs_a_bounded_number_of_queries(
    client, campaign, django_assert_max_num_queries
):
    url = reverse("party_building:public-campaign", args=[campaign.pk])
    with django_assert_max_num_queries(4):
        client.get(url)
    branch = BranchFactory()
    for n in range(25):
        member = member_of(branch, start=D(2009, 1, 1), member__person__name=f"党员甲{n}")
        CommitmentFactory(member=member, campaign=campaign, is_public=True)
    with django_assert_max_num_queries(4):
        page = client.get(url)
    assert page.status_code == 200 and "第 1 页，共 2 页" in page.content.decode()


def test_only_the_committee_publishes_a_commitment(client):
    branch = BranchFactory()
    commitment = CommitmentFactory(member=member_of(branch, start=D(2009, 1, 1)))
    url = reverse("admin:party_building_commitment_changelist")
    action = {"action": "publish", "_selected_action": [commitment.pk]}

    client.force_login(secretary_of(branch))
    client.post(url, action)
    commitment.refresh_from_db()
    assert not commitment.is_public
    change = reverse("admin:party_building_commitment_change", args=[commitment.pk])
    assert 'name="is_public"' not in client.get(change).content.decode()

    committee = administrator()
    client.force_login(committee)
    client.post(url, action)
    commitment.refresh_from_db()
    assert commitment.is_public
    last = commitment.history.latest()
    assert last.is_public and last.history_user == committee


def test_a_secretary_cannot_change_a_published_commitment(client):
    branch = BranchFactory()
    commitment = CommitmentFactory(member=member_of(branch, start=D(2009, 1, 1)), is_public=True)
    client.force_login(secretary_of(branch))
    change = reverse("admin:party_building_commitment_change", args=[commitment.pk])
    response = client.post(
        change,
        {
            "member": commitment.member.pk,
            "campaign": commitment.campaign.pk,
            "text": "改过的承诺",
            "made_on": "2010-05-01",
            "review": "",
            "reviewed_on": "",
            "result": "",
        },
    )
    assert response.status_code == 200
    assert "只有党委" in response.content.decode()
    commitment.refresh_from_db()
    assert commitment.text != "改过的承诺"


@pytest.mark.page_cache
def test_publishing_or_withdrawing_shows_at_once_on_the_cached_pages(client, campaign):
    url = reverse("party_building:public-campaign", args=[campaign.pk])
    assert "李四的未公开承诺" not in client.get(url).content.decode()
    hidden = Commitment.objects.get(text="李四的未公开承诺")
    hidden.is_public = True
    hidden.save()
    assert "李四的未公开承诺" in client.get(url).content.decode()
    hidden.is_public = False
    hidden.save()
    assert "李四的未公开承诺" not in client.get(url).content.decode()


# --- A branch's own commitment (支部承诺) ----------------------------------------------------


def test_a_branch_commits_as_a_whole_and_is_listed_first_under_its_name(client, campaign):
    branch = campaign.commitments.get(is_public=True).member.memberships.get().organization
    CommitmentFactory(
        member=None,
        branch=branch,
        campaign=campaign,
        text="支部每季度开展一次普法活动",
        is_public=True,
    )
    CommitmentFactory(member=None, branch=branch, campaign=campaign, text="支部未公开的承诺")
    text = client.get(reverse("party_building:public-campaign", args=[campaign.pk])).content
    text = text.decode()
    assert "支部承诺" in text and "支部每季度开展一次普法活动" in text
    assert "支部未公开的承诺" not in text
    assert text.count("天地人律师事务所党支部") == 1  # one heading for the branch and its members
    assert text.index("支部每季度开展一次普法活动") < text.index("张三")


def test_a_commitment_is_made_by_a_member_or_a_branch_not_both_nor_neither():
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    branch = BranchFactory()
    both = CommitmentFactory.build(
        member=member_of(branch, start=D(2009, 1, 1)), branch=branch, campaign=CampaignFactory()
    )
    with pytest.raises(ValidationError, match="二者选其一"), translation_zh():
        both.full_clean()
    for member, org in ((both.member, branch), (None, None)):
        commitment = CommitmentFactory.build(member=member, branch=org, campaign=both.campaign)
        with pytest.raises(IntegrityError), transaction.atomic():
            commitment.save()


def translation_zh():
    from django.utils import translation

    return translation.override("zh-hans")


def test_a_secretary_records_their_branchs_commitment_and_never_another_branchs(client):
    mine, other = BranchFactory(), BranchFactory()
    campaign = CampaignFactory()
    theirs = CommitmentFactory(member=None, branch=other, campaign=campaign)
    client.force_login(secretary_of(mine))
    add = reverse("admin:party_building_commitment_add")
    form = {"campaign": campaign.pk, "text": "支部承诺", "made_on": "2010-05-01"}

    refused = client.post(add, {**form, "branch": other.pk})
    assert refused.status_code in (200, 403, 404)
    assert not Commitment.objects.filter(branch=other, text="支部承诺").exists()
    neither = client.post(add, form)
    assert "二者选其一" in neither.content.decode()
    client.post(add, {**form, "branch": mine.pk})
    assert Commitment.objects.filter(branch=mine, text="支部承诺").exists()

    change = reverse("admin:party_building_commitment_change", args=[theirs.pk])
    assert client.get(change).status_code == 404
    listing = client.get(reverse("admin:party_building_commitment_changelist"))
    assert theirs.pk not in {row.pk for row in listing.context["cl"].result_list}
