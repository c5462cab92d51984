"""组织关系转接: the states of a transfer, who may take which step, and when it is overdue.

Plain Python (no Django): the views and the model ask ``next_state`` before changing a
transfer, so a step taken twice (a double submit) or in the wrong state is refused in one
place, before anything is written.

    requested ──approve──▶ approved ──receive──▶ received
        │                     │
        └──reject──▶ rejected ◀──reject──┘

- the member's branch (its secretary) requests (转出申请); for a member coming from outside
  the association, the receiving branch does;
- the committee (党委管理员) approves, which issues the numbered letter (介绍信), or rejects;
- the receiving branch's secretary receives (接收) or rejects with a reason; for a member
  leaving the association the sending branch records the returned slip (回执) instead.
"""

import dataclasses
import datetime
import enum


class State(enum.StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    RECEIVED = "received"
    REJECTED = "rejected"


class Action(enum.StrEnum):
    APPROVE = "approve"
    RECEIVE = "receive"
    REJECT = "reject"


class Role(enum.StrEnum):
    COMMITTEE = "committee"  # the party committee's administrators
    SENDER = "sender"  # the secretary of the branch the member leaves
    RECEIVER = "receiver"  # the secretary of the branch the member joins


class Kind(enum.StrEnum):
    INTERNAL = "internal"  # between two branches of the association
    OUTGOING = "outgoing"  # to an organisation outside the association
    INCOMING = "incoming"  # from an organisation outside the association


TRANSITIONS = {
    (State.REQUESTED, Action.APPROVE): State.APPROVED,
    (State.REQUESTED, Action.REJECT): State.REJECTED,
    (State.APPROVED, Action.RECEIVE): State.RECEIVED,
    (State.APPROVED, Action.REJECT): State.REJECTED,
}

# Open transfers: at most one per member.
OPEN_STATES = (State.REQUESTED, State.APPROVED)


@dataclasses.dataclass(frozen=True)
class WrongState(Exception):
    """``action`` is not a step a transfer in ``state`` can take (already taken, or too early)."""

    state: State
    action: Action


def next_state(state: str, action: str) -> State:
    """The state after ``action``; ``WrongState`` if the transfer cannot take it now."""
    try:
        return TRANSITIONS[(State(state), Action(action))]
    except (KeyError, ValueError):
        raise WrongState(State(state), Action(action)) from None


def who_may(state: str, action: str, kind: str) -> frozenset[Role]:
    """The roles that may take ``action`` on a transfer of ``kind`` in ``state``."""
    if (State(state), Action(action)) not in TRANSITIONS:
        return frozenset()
    if State(state) == State.REQUESTED:
        return frozenset({Role.COMMITTEE})
    # Approved: whoever receives the member, or the committee. A member leaving the
    # association is received outside it: the sending branch records the returned 回执.
    receiver = Role.SENDER if Kind(kind) == Kind.OUTGOING else Role.RECEIVER
    return frozenset({Role.COMMITTEE, receiver})


def available_actions(state: str, kind: str, roles: set[Role] | frozenset[Role]) -> list[Action]:
    """The steps someone holding ``roles`` may take now, in the order the buttons show."""
    return [action for action in Action if who_may(state, action, kind) & set(roles)]


def valid_until(approved_on: datetime.date, days: int) -> datetime.date:
    """The last day of the letter's validity: ``days`` days counting the day it was issued."""
    return approved_on + datetime.timedelta(days=days - 1)


def is_overdue(state: str, until: datetime.date | None, today: datetime.date) -> bool:
    """An approved transfer not received by the end of its letter's validity."""
    return State(state) == State.APPROVED and until is not None and today > until


def letter_number(year: int, sequence: int) -> str:
    """The letter's number as printed: the year and its sequence within the year."""
    return f"〔{year}〕第{sequence:04d}号"


def membership_days(received_on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(last day in the old branch, first day in the new one) for a transfer received then."""
    return received_on - datetime.timedelta(days=1), received_on
