"""组织关系转接: the steps, the memberships written on receipt, transfers across the
association's boundary, overdue letters, the PDF, and who sees what."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from party_building import transfer_rules as rules
from party_building.models import DuesPayment, Membership
from party_building.models.transfers import Transfer, TransferPolicy
from party_building.transfer_views import overdue_transfers, transfers_for
from tests.party_building.factories import (
    BranchFactory,
    CommitteeFactory,
    PartyMemberFactory,
    administrator,
    member_of,
    secretary_of,
)
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)


@pytest.fixture
def world():
    committee = CommitteeFactory(name="市律师行业党委")
    a = BranchFactory(name="甲所党支部", parent=committee)
    b = BranchFactory(name="乙所党支部", parent=committee)
    c = BranchFactory(name="丙所党支部", parent=committee)
    return {
        "committee": committee,
        "a": a,
        "b": b,
        "c": c,
        "member": member_of(a, member__person__name="张三"),
        "secretary_a": secretary_of(a, username="secretary-a"),
        "secretary_b": secretary_of(b, username="secretary-b", email="b@example.org"),
        "secretary_c": secretary_of(c, username="secretary-c", email="c@example.org"),
        "admin": administrator(),
    }


def internal(world, **fields):
    return Transfer.objects.create(
        member=world["member"],
        from_branch=world["a"],
        to_branch=world["b"],
        requested_by=world["secretary_a"],
        reason="工作调动",
        **fields,
    )


def approved(world, **fields):
    return internal(world, **fields).take(rules.Action.APPROVE, world["admin"])


def today():
    return timezone.localdate()


def as_user(client, user):
    client.force_login(user)
    return client


# --- The steps on the model -------------------------------------------------------------


def test_approving_numbers_the_letter_within_the_year_and_dates_its_validity(world):
    first = approved(world)
    other = member_of(world["a"])
    second = Transfer.objects.create(
        member=other, from_branch=world["a"], to_branch=world["c"]
    ).take(rules.Action.APPROVE, world["admin"])
    year = today().year
    assert (first.letter_year, first.letter_sequence) == (year, 1)
    assert (second.letter_year, second.letter_sequence) == (year, 2)
    assert first.letter_number == f"〔{year}〕第0001号"
    assert first.valid_until == today() + 29 * ONE_DAY
    assert first.state == Transfer.State.APPROVED
    assert first.approved_by == world["admin"]


def test_the_letters_validity_comes_from_the_rule_the_committee_edits(world):
    policy = TransferPolicy.current()
    policy.letter_valid_days = 10
    policy.save()
    assert approved(world).valid_until == today() + 9 * ONE_DAY


def test_approving_twice_is_refused_and_changes_nothing(world):
    transfer = approved(world)
    with pytest.raises(rules.WrongState):
        transfer.take(rules.Action.APPROVE, world["admin"])
    transfer.refresh_from_db()
    assert transfer.letter_sequence == 1
    assert Transfer.objects.filter(letter_sequence__isnull=False).count() == 1
    assert transfer.history.count() == 2  # created, approved


def test_receiving_ends_the_old_membership_the_day_before_and_starts_the_new_one(world):
    transfer = approved(world)
    day = today()
    transfer.take(rules.Action.RECEIVE, world["secretary_b"], day=day)
    memberships = list(world["member"].memberships.order_by("start"))
    assert [(m.organization, m.start, m.end) for m in memberships] == [
        (world["a"], D(2015, 1, 1), day - ONE_DAY),
        (world["b"], day, None),
    ]
    transfer.refresh_from_db()
    assert (transfer.state, transfer.received_on) == (Transfer.State.RECEIVED, day)
    assert transfer.received_by == world["secretary_b"]


def test_a_failure_while_writing_the_memberships_leaves_everything_as_it_was(world, monkeypatch):
    transfer = approved(world)

    def fail(**fields):
        raise RuntimeError("disk full")

    # The old membership is ended first; the new one then fails: both must be rolled back.
    monkeypatch.setattr(Membership.objects, "create", fail)
    with pytest.raises(RuntimeError):
        transfer.take(rules.Action.RECEIVE, world["secretary_b"], day=today())
    assert world["member"].memberships.get().end is None
    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.APPROVED
    assert transfer.received_on is None


def test_a_member_moved_meanwhile_cannot_be_received(world):
    transfer = approved(world)
    world["member"].transfer(world["c"], on=today())
    with pytest.raises(ValidationError, match="已不在"):
        transfer.take(rules.Action.RECEIVE, world["secretary_b"], day=today())
    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.APPROVED


def test_a_member_cannot_be_received_before_the_letter_was_issued(world):
    transfer = approved(world)
    with pytest.raises(ValidationError):
        transfer.take(rules.Action.RECEIVE, world["secretary_b"], day=today() - ONE_DAY)
    assert world["member"].memberships.count() == 1


@pytest.mark.parametrize("step", ["requested", "approved"])
def test_a_transfer_is_rejected_at_either_step_with_a_reason(world, step):
    transfer = internal(world) if step == "requested" else approved(world)
    with pytest.raises(ValidationError):
        transfer.take(rules.Action.REJECT, world["admin"], reason="  ")
    transfer.take(rules.Action.REJECT, world["secretary_b"], reason="该同志未到我所执业")
    assert transfer.state == Transfer.State.REJECTED
    assert transfer.rejection_reason == "该同志未到我所执业"
    assert world["member"].memberships.get().end is None
    with pytest.raises(rules.WrongState):
        transfer.take(rules.Action.RECEIVE, world["secretary_b"], day=today())


def test_a_member_has_one_transfer_in_progress_at_a_time(world):
    internal(world)
    duplicate = Transfer(member=world["member"], from_branch=world["a"], to_branch=world["c"])
    with pytest.raises(ValidationError, match="正在办理"):
        duplicate.full_clean()


# --- Across the association's boundary -------------------------------------------------


def test_a_member_leaving_the_association_leaves_when_the_slip_comes_back(world):
    transfer = Transfer.objects.create(
        member=world["member"],
        kind=Transfer.Kind.OUTGOING,
        from_branch=world["a"],
        external_organization="中共北京市朝阳区律师行业委员会",
    ).take(rules.Action.APPROVE, world["admin"])
    assert transfer.has_letter
    assert world["member"].memberships.get().end is None  # not until the 回执
    day = today()
    transfer.take(rules.Action.RECEIVE, world["secretary_a"], day=day)
    membership = world["member"].memberships.get()
    assert (membership.organization, membership.end) == (world["a"], day - ONE_DAY)
    assert transfer.destination_name == "中共北京市朝阳区律师行业委员会"


def test_a_member_coming_from_outside_is_registered_on_receipt(world):
    newcomer = PartyMemberFactory(person__name="李四")
    transfer = Transfer.objects.create(
        member=newcomer,
        kind=Transfer.Kind.INCOMING,
        to_branch=world["b"],
        external_organization="中共上海市律师行业委员会",
    )
    transfer.full_clean()
    transfer.take(rules.Action.APPROVE, world["admin"])
    assert not transfer.has_letter  # the sending organisation wrote the letter
    assert not newcomer.memberships.exists()
    transfer.take(rules.Action.RECEIVE, world["secretary_b"], day=today())
    membership = newcomer.memberships.get()
    assert (membership.organization, membership.start, membership.end) == (
        world["b"],
        today(),
        None,
    )


def test_a_transfer_names_the_branches_its_kind_needs(world):
    with pytest.raises(ValidationError):
        Transfer(
            member=world["member"], kind=Transfer.Kind.OUTGOING, from_branch=world["a"]
        ).full_clean()  # no receiving organisation


# --- The pages: request, approve, receive --------------------------------------------------


def post_step(client, transfer, action, **data):
    return client.post(transfer.get_absolute_url(), {"_action": action, **data})


def test_the_sending_secretary_requests_and_a_double_submit_adds_nothing(client, world):
    as_user(client, world["secretary_a"])
    data = {
        "member": world["member"].pk,
        "kind": "internal",
        "to_branch": world["b"].pk,
        "reason": "工作调动",
    }
    url = reverse("party_building:transfer-request")
    response = client.post(url, data)
    transfer = Transfer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == transfer.get_absolute_url()
    assert (transfer.from_branch, transfer.to_branch) == (world["a"], world["b"])
    assert transfer.requested_by == world["secretary_a"]
    again = client.post(url, data)
    assert again.status_code == 200
    assert "已有一项正在办理的转接" in again.content.decode()
    assert Transfer.objects.count() == 1


def test_a_secretary_cannot_request_a_transfer_of_another_branchs_member(client, world):
    other = member_of(world["c"])
    as_user(client, world["secretary_a"])
    response = client.post(
        reverse("party_building:transfer-request"),
        {"member": other.pk, "kind": "internal", "to_branch": world["b"].pk},
    )
    assert response.status_code == 200
    assert not Transfer.objects.exists()


def test_a_transfer_outside_the_association_is_requested_with_the_receiving_organisation(
    client, world
):
    as_user(client, world["secretary_a"])
    response = client.post(
        reverse("party_building:transfer-request"),
        {
            "member": world["member"].pk,
            "kind": "outgoing",
            "to_branch": world["b"].pk,  # ignored: the member leaves the association
            "external_organization": "中共北京市朝阳区律师行业委员会",
        },
    )
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    assert (transfer.kind, transfer.from_branch, transfer.to_branch) == (
        Transfer.Kind.OUTGOING,
        world["a"],
        None,
    )
    assert transfer.external_organization == "中共北京市朝阳区律师行业委员会"


def test_leaving_the_association_needs_the_receiving_organisation(client, world):
    as_user(client, world["secretary_a"])
    response = client.post(
        reverse("party_building:transfer-request"),
        {"member": world["member"].pk, "kind": "outgoing"},
    )
    assert response.status_code == 200
    assert "请填写本会以外的党组织名称" in response.content.decode()
    assert not Transfer.objects.exists()


def test_the_receiving_secretary_records_a_member_coming_from_outside(client, world):
    newcomer = PartyMemberFactory(person__name="李四")
    as_user(client, world["secretary_b"])
    url = reverse("party_building:transfer-incoming")
    form = client.get(url).context["form"]
    assert newcomer in form.fields["member"].queryset
    assert world["member"] not in form.fields["member"].queryset  # belongs to branch A
    assert list(form.fields["to_branch"].queryset) == [world["b"]]
    response = client.post(
        url,
        {
            "member": newcomer.pk,
            "external_organization": "中共上海市律师行业委员会",
            "to_branch": world["b"].pk,
        },
    )
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    assert (transfer.kind, transfer.from_branch, transfer.to_branch) == (
        Transfer.Kind.INCOMING,
        None,
        world["b"],
    )
    assert client.get(transfer.get_absolute_url()).status_code == 200  # they recorded it
    assert client.post(url, {"member": newcomer.pk, "to_branch": world["c"].pk}).status_code == 200
    assert Transfer.objects.count() == 1


def test_each_step_is_written_to_the_audit_log(client, world, caplog):
    transfer = internal(world)
    as_user(client, world["admin"])
    with caplog.at_level("INFO", logger="lvxie.audit"):
        post_step(client, transfer, "approve")
        client.get(reverse("party_building:transfer-letter", args=[transfer.pk]))
    events = [record.getMessage() for record in caplog.records]
    assert "transfer_approve" in events and "transfer_letter" in events


def test_the_committee_approves_and_a_second_click_gets_a_clear_message(client, world):
    transfer = internal(world)
    as_user(client, world["admin"])
    response = post_step(client, transfer, "approve")
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.APPROVED
    again = post_step(client, transfer, "approve")
    assert again.status_code == 409
    assert "不能再" in again.content.decode() or "无法" in again.content.decode()
    assert "什么也没有改变" in again.content.decode()
    transfer.refresh_from_db()
    assert transfer.letter_sequence == 1
    assert transfer.history.count() == 2


def test_the_sending_secretary_cannot_approve(client, world):
    transfer = internal(world)
    as_user(client, world["secretary_a"])
    assert post_step(client, transfer, "approve").status_code == 403
    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.REQUESTED


def test_the_receiving_secretary_sees_the_transfer_once_approved_and_receives_it(client, world):
    transfer = internal(world)
    as_user(client, world["secretary_b"])
    assert client.get(transfer.get_absolute_url()).status_code == 404
    transfer.take(rules.Action.APPROVE, world["admin"])
    page = client.get(transfer.get_absolute_url())
    assert page.status_code == 200
    assert 'value="receive"' in page.content.decode()
    response = post_step(client, transfer, "receive", day=today().isoformat())
    assert response.status_code == 302
    assert world["member"].memberships.get(end__isnull=True).organization == world["b"]
    assert post_step(client, transfer, "receive", day=today().isoformat()).status_code == 409
    assert world["member"].memberships.count() == 2


def test_rejecting_without_a_reason_is_refused(client, world):
    transfer = approved(world)
    as_user(client, world["secretary_b"])
    response = post_step(client, transfer, "reject", reason="")
    assert response.status_code == 400
    assert "驳回理由" in response.content.decode()
    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.APPROVED


def test_receiving_on_a_future_day_is_refused(client, world):
    transfer = approved(world)
    as_user(client, world["secretary_b"])
    response = post_step(client, transfer, "receive", day=(today() + ONE_DAY).isoformat())
    assert response.status_code == 400
    assert world["member"].memberships.count() == 1


# --- Another branch sees nothing ---------------------------------------------------------


@pytest.mark.parametrize("state", ["requested", "approved", "received"])
def test_another_branchs_secretary_gets_404_at_every_step(client, world, state):
    transfer = internal(world)
    if state != "requested":
        transfer.take(rules.Action.APPROVE, world["admin"])
    if state == "received":
        transfer.take(rules.Action.RECEIVE, world["secretary_b"], day=today())
    as_user(client, world["secretary_c"])
    listing = client.get(reverse("party_building:transfer-list"))
    assert listing.status_code == 200
    assert list(listing.context["transfers"]) == []
    assert client.get(transfer.get_absolute_url()).status_code == 404
    for action in ("approve", "receive", "reject"):
        response = post_step(client, transfer, action, day=today().isoformat(), reason="x")
        assert response.status_code == 404, action
    letter = reverse("party_building:transfer-letter", args=[transfer.pk])
    assert client.get(letter).status_code == 404
    assert Transfer.objects.get().state == state


def test_the_receiving_branch_does_not_see_a_request_not_yet_approved(world):
    transfer = internal(world)
    assert transfer not in transfers_for(world["secretary_b"])
    assert transfer in transfers_for(world["secretary_a"])
    assert transfer in transfers_for(world["admin"])


# --- The letter --------------------------------------------------------------------------


def test_the_letter_is_a_pdf_with_its_number_and_the_slip(client, world):
    pypdf = pytest.importorskip("pypdf")
    transfer = approved(world)
    DuesPayment.objects.create(
        member=world["member"],
        branch=world["a"],
        month=D(2024, 5, 1),
        amount_fen=100,
        paid_on=D(2024, 5, 2),
    )
    as_user(client, world["secretary_a"])
    response = client.get(reverse("party_building:transfer-letter", args=[transfer.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert transfer.letter_number in text
    assert "张三" in text and "乙所党支部" in text and "市律师行业党委" in text
    assert "回执" in text
    assert "党费已交到2024年5月" in text
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_there_is_no_letter_before_approval(client, world):
    transfer = internal(world)
    as_user(client, world["admin"])
    letter = reverse("party_building:transfer-letter", args=[transfer.pk])
    assert client.get(letter).status_code == 404


def test_a_rejected_transfers_letter_is_void(client, world):
    transfer = approved(world).take(rules.Action.REJECT, world["secretary_b"], reason="未报到")
    as_user(client, world["secretary_a"])
    letter = reverse("party_building:transfer-letter", args=[transfer.pk])
    assert client.get(letter).status_code == 404
    assert letter not in client.get(transfer.get_absolute_url()).content.decode()


def test_the_letter_is_not_for_anonymous_visitors(client, world):
    transfer = approved(world)
    response = client.get(reverse("party_building:transfer-letter", args=[transfer.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]


# --- Overdue -----------------------------------------------------------------------------


def test_an_approved_transfer_not_received_in_time_is_listed_as_overdue(client, world):
    late = approved(world)
    Transfer.objects.filter(pk=late.pk).update(valid_until=today() - ONE_DAY)
    on_time = Transfer.objects.create(
        member=member_of(world["a"]), from_branch=world["a"], to_branch=world["c"]
    ).take(rules.Action.APPROVE, world["admin"])
    assert list(overdue_transfers(world["admin"], today())) == [late]
    assert list(overdue_transfers(world["secretary_b"], today())) == [late]
    assert list(overdue_transfers(world["secretary_c"], today())) == []
    as_user(client, world["secretary_a"])
    response = client.get(reverse("party_building:transfer-list"), {"overdue": "on"})
    assert list(response.context["transfers"]) == [late]
    assert "逾期" in response.content.decode()
    assert on_time not in response.context["transfers"]


# --- Bounded queries ---------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return page_queries(context)


def test_the_list_runs_the_same_number_of_queries_for_3_and_12_transfers(client, world):
    def add(n):
        for _ in range(n):
            Transfer.objects.create(
                member=member_of(world["a"]), from_branch=world["a"], to_branch=world["b"]
            ).take(rules.Action.APPROVE, world["admin"])

    as_user(client, world["secretary_b"])
    url = reverse("party_building:transfer-list")
    add(3)
    few = count_queries(client, url)
    add(9)
    assert count_queries(client, url) == few
    assert few <= 12


def test_a_transfers_page_runs_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    transfer = approved(world)
    as_user(client, world["secretary_b"])
    with django_assert_max_num_queries(14):
        assert client.get(transfer.get_absolute_url()).status_code == 200


def test_the_boards_transfer_tab_lists_overdue_transfers_of_the_branches_shown(client, world):
    late = approved(world)
    Transfer.objects.filter(pk=late.pk).update(valid_until=today() - ONE_DAY)
    url = reverse("party_building:board-tab", args=["transfers"])
    as_user(client, world["secretary_b"])
    page = client.get(url).content.decode()
    assert late.get_absolute_url() in page and "逾期" in page
    as_user(client, world["secretary_c"])
    page = client.get(url).content.decode()
    assert late.get_absolute_url() not in page
    assert "没有逾期的转接" in page
