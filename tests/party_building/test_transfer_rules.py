"""The transfer's states and who may take which step: plain Python, no database."""

import datetime

import pytest

from party_building import transfer_rules as rules
from party_building.transfer_rules import Action, Kind, Role, State

D = datetime.date


@pytest.mark.parametrize(
    ("state", "action", "after"),
    [
        (State.REQUESTED, Action.APPROVE, State.APPROVED),
        (State.REQUESTED, Action.REJECT, State.REJECTED),
        (State.APPROVED, Action.RECEIVE, State.RECEIVED),
        (State.APPROVED, Action.REJECT, State.REJECTED),
    ],
)
def test_each_step_leads_to_its_state(state, action, after):
    assert rules.next_state(state, action) == after


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (State.APPROVED, Action.APPROVE),  # approved twice: a double submit
        (State.RECEIVED, Action.RECEIVE),
        (State.REQUESTED, Action.RECEIVE),  # not approved yet
        (State.RECEIVED, Action.REJECT),
        (State.REJECTED, Action.REJECT),
        (State.REJECTED, Action.APPROVE),
    ],
)
def test_a_step_in_the_wrong_state_is_refused(state, action):
    with pytest.raises(rules.WrongState) as error:
        rules.next_state(state, action)
    assert (error.value.state, error.value.action) == (state, action)


def test_only_the_committee_approves():
    assert rules.who_may(State.REQUESTED, Action.APPROVE, Kind.INTERNAL) == {Role.COMMITTEE}
    assert rules.who_may(State.REQUESTED, Action.REJECT, Kind.INTERNAL) == {Role.COMMITTEE}


def test_the_receiving_branch_receives_or_rejects_an_approved_transfer():
    for action in (Action.RECEIVE, Action.REJECT):
        assert rules.who_may(State.APPROVED, action, Kind.INTERNAL) == {
            Role.COMMITTEE,
            Role.RECEIVER,
        }
        assert rules.who_may(State.APPROVED, action, Kind.INCOMING) == {
            Role.COMMITTEE,
            Role.RECEIVER,
        }


def test_for_a_member_leaving_the_association_the_sending_branch_records_the_slip():
    assert rules.who_may(State.APPROVED, Action.RECEIVE, Kind.OUTGOING) == {
        Role.COMMITTEE,
        Role.SENDER,
    }


def test_nobody_acts_on_a_finished_transfer():
    for state in (State.RECEIVED, State.REJECTED):
        assert rules.available_actions(state, Kind.INTERNAL, set(Role)) == []


def test_the_sender_has_no_button_on_an_internal_transfer():
    assert rules.available_actions(State.REQUESTED, Kind.INTERNAL, {Role.SENDER}) == []
    assert rules.available_actions(State.APPROVED, Kind.INTERNAL, {Role.SENDER}) == []
    assert rules.available_actions(State.APPROVED, Kind.INTERNAL, {Role.RECEIVER}) == [
        Action.RECEIVE,
        Action.REJECT,
    ]


def test_a_letter_is_valid_for_its_days_counting_the_day_it_is_issued():
    assert rules.valid_until(D(2026, 12, 3), 30) == D(2027, 1, 1)
    assert rules.valid_until(D(2026, 12, 3), 1) == D(2026, 12, 3)


def test_an_approved_transfer_is_overdue_after_its_last_valid_day():
    until = D(2027, 1, 1)
    assert not rules.is_overdue(State.APPROVED, until, until)
    assert rules.is_overdue(State.APPROVED, until, D(2027, 1, 2))
    assert not rules.is_overdue(State.RECEIVED, until, D(2027, 2, 1))
    assert not rules.is_overdue(State.REQUESTED, None, D(2027, 2, 1))


def test_the_letter_number_gives_the_year_and_the_sequence():
    assert rules.letter_number(2026, 7) == "〔2026〕第0007号"


def test_the_old_membership_ends_the_day_before_the_new_one_starts():
    assert rules.membership_days(D(2026, 3, 1)) == (D(2026, 2, 28), D(2026, 3, 1))
