"""Every reminder mail, rendered from sample data as it arrives in a mailbox.

Each kind of mail sent by ``send_compliance_reminders`` registers a preview here: the
template's name (``party_building/email/<template>_subject.txt`` and ``_body.txt``) and a
function building a sample context from unsaved objects (nothing is written to the
database). ``manage.py preview_party_mails`` prints them; the tests render each and check
its Chinese text.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from party_building import compliance, terms
from party_building.models import PartyOrganization

TODAY = datetime.date(2026, 3, 2)  # a Monday: the weekly summary goes out too


@dataclass(frozen=True)
class Preview:
    key: str
    template: str
    context: object  # () -> dict, the mail's own context (the greeting's is added)
    expect: tuple[str, ...] = ()  # Chinese text the rendered mail must contain


PREVIEWS: dict[str, Preview] = {}


def register_preview(key, template, *, expect=()):
    """Decorator on a function returning a sample context for the mail ``template``."""

    def decorate(build):
        if key in PREVIEWS:
            raise ValueError(f"mail preview {key!r} is registered twice")
        PREVIEWS[key] = Preview(key, template, build, tuple(expect))
        return build

    return decorate


def render(key, *, name="蒋建"):
    """(subject, body) of the mail ``key`` in the site's language, as the command sends it."""
    preview = PREVIEWS[key]
    context = {
        **preview.context(),
        "name": name,
        "today": TODAY,
        "SITE_NAME": settings.SITE_NAME,
        "site_url": settings.SITE_URL.rstrip("/"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"party_building/email/{preview.template}_subject.txt", context)
        body = render_to_string(f"party_building/email/{preview.template}_body.txt", context)
    return " ".join(subject.split()), body


# --- Sample objects (unsaved) --------------------------------------------------------------


def sample_branch(pk=1, name="湖南天地人律师事务所党支部"):
    from members.models import LawFirm

    return PartyOrganization(
        pk=pk,
        name=name,
        kind=PartyOrganization.Kind.BRANCH,
        law_firm=LawFirm(pk=pk, name=name.removesuffix("党支部")),
    )


def sample_due_items():
    general = compliance.Requirement("general_meeting", "quarter", 1)
    lecture = compliance.Requirement("party_lecture", "quarter", 1)
    last_quarter = compliance.period_containing("quarter", TODAY).previous()
    this_quarter = compliance.period_containing("quarter", TODAY)
    return [
        compliance.DueItem(compliance.DueState.OVERDUE, general, last_quarter, 0),
        compliance.DueItem(compliance.DueState.DUE_SOON, lecture, this_quarter, 0),
    ]


def sample_terms():
    return [
        (
            sample_branch(2, "长沙明德律师事务所党支部"),
            terms.term_state(datetime.date(2022, 12, 20), 3, TODAY),
        ),
        (
            sample_branch(3, "湘江律师事务所党支部"),
            terms.term_state(datetime.date(2023, 6, 30), 3, TODAY),
        ),
    ]


@register_preview(
    "daily",
    "daily",
    expect=("蒋建同志", "需召开", "支部党员大会", "逾期", "换届", "届满"),
)
def daily_context():
    branch = sample_branch()
    items = sample_due_items()
    term_items = sample_terms()
    return {"branches": [(branch, items)], "terms": term_items, "branch_count": 3}


@register_preview("weekly", "weekly", expect=("蒋建同志", "每周汇总", "换届", "党费"))
def weekly_context():
    branch = sample_branch()
    overdue = [(branch, sample_due_items()[:1])]
    return {
        "overdue": overdue,
        "branch_count": 500,
        "arrears": [(branch, 2, "360.00")],
        "terms": sample_terms(),
    }


@register_preview("development", "development", expect=("蒋建同志", "党员发展"))
def development_context():
    from party_building import development
    from party_building import development_rules as rules

    due = datetime.date(2026, 3, 10)
    step = development.DueStep(
        record_pk=1,
        branch_pk=1,
        person_name="李申请",
        deadline=rules.Deadline(rules.Step.TALK, due, due - datetime.timedelta(days=14)),
        state=rules.DeadlineState.DUE_SOON,
    )
    return {"branches": [(sample_branch(), [step])]}
