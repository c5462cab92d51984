"""Loading the association's register spreadsheets into LawFirm and Lawyer: all or nothing.

`plan_import` reads a file (members.tabular) and checks every row against the register
without writing: each row is to be created, updated, left unchanged or refused, with the
reasons. An import writes only what the importing user could write by hand (`Rights`): a row
that would create a record they may not add, or change one they may not change, is refused.
`apply` writes a plan that refuses nothing, in one transaction and in bulk, with history
(django-simple-history) naming the user and the file. `import_register` does both
in one transaction; the command and the admin's confirmation step use it.

An empty cell, or a column the file does not have, leaves a recorded value as it is and gives
a new record the default: importing never erases. Values are cleared in the admin.
"""

import datetime
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO, cast

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core import pagecache
from core.text import person_name
from members.credentials import (
    FIRST_LICENSE_YEAR,
    license_year,
    normalize_credit_code,
    normalize_license_number,
    validate_credit_code,
    validate_lawyer_license_number,
)
from members.models import LawFirm, Lawyer, Person
from members.tabular import Row, Table, read_table

FIRMS, LAWYERS = "firms", "lawyers"
KINDS = (FIRMS, LAWYERS)
BATCH_SIZE = 500

# Header text → field. Several texts may name one field (see members.tabular.read_table).
FIRM_HEADERS = {
    "律所名称": "name",
    "律师事务所名称": "name",
    "事务所名称": "name",
    "机构名称": "name",
    "执业机构名称": "name",
    "名称": "name",
    "统一社会信用代码": "credit_code",
    "社会信用代码": "credit_code",
    "统一信用代码": "credit_code",
    "信用代码": "credit_code",
    "执业许可证号": "license_number",
    "执业许可证编号": "license_number",
    "执业许可证号码": "license_number",
    "许可证号": "license_number",
    "地址": "address",
    "办公地址": "address",
    "住所": "address",
    "详细地址": "address",
    "电话": "phone",
    "联系电话": "phone",
    "办公电话": "phone",
    "电话号码": "phone",
    "成立日期": "founded",
    "成立时间": "founded",
    "设立日期": "founded",
    "设立时间": "founded",
    "执业状态": "practice_status",
    "状态": "practice_status",
}
LAWYER_HEADERS = {
    "姓名": "name",
    "律师姓名": "name",
    "执业证号": "license_number",
    "律师执业证号": "license_number",
    "执业证号码": "license_number",
    "执业证编号": "license_number",
    "执业证书号": "license_number",
    "执业证书号码": "license_number",
    "执业证书编号": "license_number",
    "律师执业证书号": "license_number",
    "执业机构": "firm",
    "执业机构名称": "firm",
    "执业律所": "firm",
    "所在律所": "firm",
    "所属律所": "firm",
    "所在律师事务所": "firm",
    "所属律师事务所": "firm",
    "律师事务所": "firm",
    "执业单位": "firm",
    "执业状态": "practice_status",
    "状态": "practice_status",
    "性别": "gender",
    "首次执业年份": "first_licensed_year",
    "首次执业时间": "first_licensed_year",
    "首次执业日期": "first_licensed_year",
    "执业领域": "practice_areas",
    "业务领域": "practice_areas",
    "专业领域": "practice_areas",
    "擅长领域": "practice_areas",
    "联系电话": "phone",
    "手机号码": "phone",
    "手机": "phone",
    "联系地址": "address",
}
REQUIRED = {FIRMS: {"name", "credit_code"}, LAWYERS: {"name", "license_number"}}
HEADERS = {FIRMS: FIRM_HEADERS, LAWYERS: LAWYER_HEADERS}

# What the registers write in 执业状态 and 性别, without spaces.
FIRM_STATUSES = {
    LawFirm.Status.PRACTISING: {"正常执业", "执业", "正常"},
    LawFirm.Status.SUSPENDED: {"停业整顿", "停业"},
    LawFirm.Status.DISSOLVED: {"已注销", "注销", "终止", "已终止"},
}
LAWYER_STATUSES = {
    Lawyer.Status.PRACTISING: {"正常执业", "执业", "正常"},
    Lawyer.Status.SUSPENDED: {"停止执业", "暂停执业"},
    Lawyer.Status.CANCELLED: {"已注销", "注销"},
}
GENDERS = {Lawyer.Gender.MALE: {"男", "男性"}, Lawyer.Gender.FEMALE: {"女", "女性"}}
AREA_SEPARATORS = re.compile(r"[,，、;；/／\s]+")
DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?|(\d{4})(\d{2})(\d{2})"
)
YEAR = re.compile(r"(\d{4})(?:\s*年.*|[-/.].*)?")


class Action(models.TextChoices):
    CREATE = "create", gettext_lazy("To be created")
    UPDATE = "update", gettext_lazy("To be updated")
    UNCHANGED = "unchanged", gettext_lazy("Unchanged")
    REFUSE = "refuse", gettext_lazy("Refused")


@dataclass
class Change:
    field: str
    label: str
    old: str
    new: str


@dataclass
class RowResult:
    """What importing one row would do; `number` is the row number Excel shows."""

    number: int
    key: str
    name: str
    action: Action = Action.REFUSE
    changes: list[Change] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    record: LawFirm | Lawyer | None = None


@dataclass
class Plan:
    kind: str
    filename: str
    rows: list[RowResult]
    ignored_columns: list[str]
    # Lines of the file that are not records (a title above the header, notes below).
    skipped_lines: list[tuple[int, str]] = field(default_factory=list)

    def count(self, action: Action) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {action.value: self.count(action) for action in Action}

    @property
    def refused(self) -> list[RowResult]:
        return [row for row in self.rows if row.action == Action.REFUSE]


@dataclass(frozen=True)
class Rights:
    """What the importing user may write by hand. The default (the command, run by whoever
    administers the server) may write everything; the admin passes the user's rights."""

    may_create: bool = True
    may_change: Callable[[LawFirm | Lawyer | None], bool] = lambda record: True


EVERYTHING = Rights()


class ImportRefused(Exception):
    """The plan refuses some rows, so nothing may be written."""


class RowProblem(Exception):
    pass


def name_key(name: str) -> str:
    """What identifies a firm's name: full-width brackets or spaces do not make another firm."""
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


def read_rows(kind: str, source: str | IO[bytes], filename: str) -> Table:
    """Read the file; raises members.tabular.TableError with a message for the uploader."""
    return read_table(source, filename=filename, headers=HEADERS[kind], required=REQUIRED[kind])


def plan_import(
    kind: str,
    source: str | IO[bytes],
    filename: str,
    *,
    progress: Callable[[list[Row]], Iterable[Row]] | None = None,
    rights: Rights = EVERYTHING,
) -> Plan:
    """Check every row of the file against the register and the user's rights; write nothing.

    `progress`, if given, wraps the rows as they are checked (a progress bar).
    """
    table = read_rows(kind, source, filename)
    rows = table.rows
    checked: Iterable[Row] = progress(rows) if progress else rows
    planner = plan_firm_rows if kind == FIRMS else plan_lawyer_rows
    results = planner(checked)
    refuse_what_the_user_may_not_write(results, rights, LawFirm if kind == FIRMS else Lawyer)
    return Plan(kind, filename, results, table.ignored_columns, table.skipped_lines)


def refuse_what_the_user_may_not_write(results: list[RowResult], rights: Rights, model) -> None:
    for result in results:
        if result.action == Action.CREATE and not rights.may_create:
            result.problems.append(
                _("You may not add %(what)s, so this row cannot be imported.")
                % {"what": model._meta.verbose_name_plural}
            )
        elif result.action == Action.UPDATE and not rights.may_change(result.record):
            result.problems.append(
                _("You may not change this %(what)s, so this row cannot be imported.")
                % {"what": model._meta.verbose_name}
            )
        else:
            continue
        result.action = Action.REFUSE
        result.changes = []
        result.record = None


@transaction.atomic
def apply(plan: Plan, *, user=None) -> None:
    """Write the plan in one transaction, or nothing if it refuses any row."""
    if plan.refused:
        raise ImportRefused(plan)
    model = LawFirm if plan.kind == FIRMS else Lawyer
    reason = _("Register import: %(filename)s") % {"filename": plan.filename}
    reason = reason[:100]  # the length of simple-history's change reason
    history = {"batch_size": BATCH_SIZE, "default_user": user, "default_change_reason": reason}

    created = [row.record for row in plan.rows if row.action == Action.CREATE]
    if plan.kind == LAWYERS:
        people = [cast(Lawyer, lawyer).person for lawyer in created]
        Person.objects.bulk_create(people, batch_size=BATCH_SIZE)
    bulk_create_with_history(created, model, **history)

    updated = [row for row in plan.rows if row.action == Action.UPDATE]
    if updated:
        now = timezone.now()
        for row in updated:
            cast(LawFirm | Lawyer, row.record).updated_at = now
        fields = sorted({change.field for row in updated for change in row.changes})
        bulk_update_with_history(
            [row.record for row in updated], model, [*fields, "updated_at"], **history
        )
    # Bulk writes send no signals: the public pages learn of the change here.
    transaction.on_commit(pagecache.content_changed)


def import_register(
    kind: str,
    source: str | IO[bytes],
    filename: str,
    *,
    user=None,
    progress=None,
    rights: Rights = EVERYTHING,
) -> Plan:
    """Plan and, if no row is refused, apply, in one transaction. Returns the plan."""
    with transaction.atomic():
        plan = plan_import(kind, source, filename, progress=progress, rights=rights)
        if not plan.refused:
            apply(plan, user=user)
    return plan


# Rows of firms -----------------------------------------------------------------------------

FIRM_CLEANERS = {
    "name": lambda value: text(LawFirm, "name", value),
    # Licence numbers of firms come in several forms; only spacing and width are normalised.
    "license_number": lambda value: text(LawFirm, "license_number", normalize_credit_code(value)),
    "address": lambda value: text(LawFirm, "address", value),
    "phone": lambda value: text(LawFirm, "phone", value),
    "founded": lambda value: parse_date(value),
    "practice_status": lambda value: choice(value, FIRM_STATUSES),
}


def plan_firm_rows(rows: Iterable[Row]) -> list[RowResult]:
    firms_by_code = {firm.credit_code: firm for firm in LawFirm.objects.all()}
    firms_by_name = {name_key(firm.name): firm for firm in firms_by_code.values()}
    first_rows: dict[tuple[str, str], int] = {}
    code_label, name_label = _("credit code"), _("name of the firm")
    results = []
    for row in rows:
        values = row.values
        name, code = values["name"], normalize_credit_code(values["credit_code"])
        result = RowResult(row.number, key=code, name=name)
        problems = result.problems
        if not name:
            problems.append(_("The name of the firm is missing."))
        message = validate_credit_code(code, law_firm=True)
        if message:
            problems.append(message)
        problems += duplicates(
            first_rows,
            row.number,
            [(code_label, code), (name_label, name_key(name))],
        )
        holder = firms_by_name.get(name_key(name))
        if name and holder and holder.credit_code != code:
            problems.append(
                _("A firm with credit code %(code)s in the register already has this name.")
                % {"code": holder.credit_code}
            )
        fields = clean_fields(values, problems, FIRM_CLEANERS)
        existing = firms_by_code.get(code)
        settle(result, existing or LawFirm(credit_code=code), fields, created=existing is None)
        results.append(result)
    return results


# Rows of lawyers ---------------------------------------------------------------------------


def plan_lawyer_rows(rows: Iterable[Row]) -> list[RowResult]:
    firms = {name_key(firm.name): firm for firm in LawFirm.objects.all()}
    lawyers = {
        lawyer.license_number: lawyer for lawyer in Lawyer.objects.select_related("person", "firm")
    }
    cleaners = {
        "firm": lambda value: known_firm(value, firms),
        "practice_status": lambda value: choice(value, LAWYER_STATUSES),
        "gender": lambda value: choice(value, GENDERS),
        "first_licensed_year": parse_year,
        "practice_areas": lambda value: text(
            Lawyer, "practice_areas", "、".join(AREA_SEPARATORS.split(value)).strip("、")
        ),
        "phone": lambda value: text(Lawyer, "phone", value),
        "address": lambda value: text(Lawyer, "address", value),
    }
    first_rows: dict[tuple[str, str], int] = {}
    number_label = _("licence number")
    results = []
    for row in rows:
        values = row.values
        name, number = (
            person_name(values["name"]),
            normalize_license_number(values["license_number"]),
        )
        result = RowResult(row.number, key=number, name=name)
        problems = result.problems
        if not name:
            problems.append(_("The lawyer's name is missing."))
        else:
            try:
                text(Person, "name", name)
            except RowProblem as problem:
                problems.append(str(problem))
        message = validate_lawyer_license_number(number)
        if message:
            problems.append(message)
        problems += duplicates(first_rows, row.number, [(number_label, number)])
        existing = lawyers.get(number)
        if existing and name and existing.person.name != name:
            problems.append(
                _("This licence number belongs to %(holder)s in the register.")
                % {"holder": existing.person.name}
            )
        fields = clean_fields(values, problems, cleaners)
        record = existing
        if record is None and not problems:
            record = Lawyer(license_number=number, person=Person(name=name))
            fields.setdefault("first_licensed_year", license_year(number))
        settle(result, record, fields, created=existing is None)
        results.append(result)
    return results


# Checking one row --------------------------------------------------------------------------


def duplicates(first_rows, number, keys) -> list[str]:
    """Problems for the keys an earlier row of the file already used; remembers the rest."""
    problems = []
    for what, key in keys:
        if not key:
            continue
        earlier = first_rows.setdefault((what, key), number)
        if earlier != number:
            problems.append(_("The same %(what)s as row %(row)s.") % {"what": what, "row": earlier})
    return problems


def clean_fields(values: dict[str, str], problems: list[str], cleaners) -> dict:
    """The cleaned values of the non-empty cells; problems are added to `problems`."""
    fields = {}
    for name, clean in cleaners.items():
        value = values.get(name, "")
        if not value:
            continue
        try:
            fields[name] = clean(value)
        except RowProblem as problem:
            problems.append(str(problem))
    return fields


def settle(result: RowResult, record, fields: dict, *, created: bool) -> None:
    """Decide the row's action, and set the new values on the record to write."""
    if result.problems:
        result.action = Action.REFUSE
        return
    for name, new in fields.items():
        if getattr(record, name) == new:
            continue
        old = display(record, name)
        setattr(record, name, new)
        if not created:
            result.changes.append(Change(name, label(record, name), old, display(record, name)))
    result.record = record
    if created:
        result.action = Action.CREATE
    else:
        result.action = Action.UPDATE if result.changes else Action.UNCHANGED


def label(record, name: str) -> str:
    return str(record._meta.get_field(name).verbose_name)


def display(record, name: str) -> str:
    """A field's value as people read it: the choice's label, the firm's name."""
    model_field = record._meta.get_field(name)
    value = getattr(record, name)
    if value is None or value == "":
        return _("(empty)")
    if model_field.choices:
        return str(getattr(record, f"get_{name}_display")())
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def text(model, name: str, value: str) -> str:
    model_field = model._meta.get_field(name)
    if len(value) > model_field.max_length:
        raise RowProblem(
            _("%(field)s is longer than %(limit)s characters.")
            % {"field": model_field.verbose_name, "limit": model_field.max_length}
        )
    return value


def choice(value: str, choices: dict) -> str:
    spoken = "".join(value.split())
    for stored, texts in choices.items():
        if spoken in texts:
            return stored
    accepted = "、".join(sorted({text for texts in choices.values() for text in texts}))
    raise RowProblem(
        _("“%(value)s” is not understood; write one of: %(accepted)s.")
        % {"value": value, "accepted": accepted}
    )


def parse_date(value: str) -> datetime.date:
    match = DATE.fullmatch(value.strip())
    try:
        if not match:
            raise ValueError
        year, month, day = (int(part) for part in match.groups() if part is not None)
        founded = datetime.date(year, month, day)
    except ValueError:
        raise RowProblem(
            _("The date “%(value)s” is not understood; write it as 2010-07-30.") % {"value": value}
        ) from None
    if founded > timezone.localdate():
        raise RowProblem(_("The date %(value)s is in the future.") % {"value": value})
    return founded


def parse_year(value: str) -> int:
    match = YEAR.fullmatch(value.strip())
    last = timezone.localdate().year + 1
    if not match or not FIRST_LICENSE_YEAR <= int(match[1]) <= last:
        raise RowProblem(
            _("The year first licensed “%(value)s” is not a year from %(first)s to %(last)s.")
            % {"value": value, "first": FIRST_LICENSE_YEAR, "last": last}
        )
    return int(match[1])


def known_firm(value: str, firms: dict[str, LawFirm]) -> LawFirm:
    firm = firms.get(name_key(value))
    if firm is None:
        raise RowProblem(
            _("The law firm “%(name)s” is not in the register; import the firms first.")
            % {"name": value}
        )
    return firm
