"""签到: the sign-in code of one meeting, and whether it may be used now.

A secretary shows the code of a meeting (a QR code of a URL with a signed token); a member
who scans it, signed in, records their own attendance. The token names the meeting and its
day, signed with ``SECRET_KEY`` and a salt of its own, so it cannot be forged, altered, or
mistaken for another signed value of the site.

``BranchActivity`` records a day, not hours, so a code is valid on the meeting's day only:
from 00:00 to 24:00 in the site's time zone (``TIME_ZONE``, Asia/Shanghai). If the secretary
moves the meeting to another day, codes shown before no longer work.
"""

import datetime

from django.core import signing
from django.utils import timezone

SALT = "party_building.check_in"


class Refused(Exception):
    """A code that cannot be used: ``reason`` says why (one of the constants below)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


INVALID = "invalid"  # not a code, or altered
MOVED = "moved"  # the meeting's day changed since the code was shown
NOT_YET = "not_yet"  # before the meeting's day
EXPIRED = "expired"  # after the meeting's day


def make_token(activity) -> str:
    return signing.dumps({"a": activity.pk, "d": activity.date.isoformat()}, salt=SALT)


def read_token(token: str) -> tuple[int, datetime.date]:
    """(activity id, day) of a token, or Refused(INVALID) for anything altered or foreign."""
    try:
        value = signing.loads(token, salt=SALT)
        return int(value["a"]), datetime.date.fromisoformat(value["d"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise Refused(INVALID) from error


def window(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The meeting's day as [start, end) in the site's time zone."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )
    return start, end


def check(token_day: datetime.date, activity_day: datetime.date, now: datetime.datetime) -> None:
    """Refused unless the code is of the meeting's present day and ``now`` is within it."""
    if token_day != activity_day:
        raise Refused(MOVED)
    start, end = window(activity_day)
    if now < start:
        raise Refused(NOT_YET)
    if now >= end:
        raise Refused(EXPIRED)
