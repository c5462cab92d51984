"""An article's history as an editor reads it: who did what when, in Chinese, the body as text.

Each version is compared with the one before it. Fields are named by their verbose names and
shown as the admin shows them (the status's label, the column's name, 是/否); the body is
compared paragraph by paragraph as text (core.textdiff), not as HTML.
"""

from dataclasses import dataclass, field

from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.text import html_to_text
from core.textdiff import ParagraphChange, compare
from news.models import Article

# Bookkeeping that changes on every save and tells an editor nothing.
NOT_SHOWN = ("updated_at", "updated_by", "created_at", "created_by")
RICH_TEXT = ("body",)
KINDS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Version:
    record: object
    kind: str
    changes: list[FieldChange] = field(default_factory=list)
    body_changes: list[ParagraphChange] = field(default_factory=list)


def versions(records) -> list[Version]:
    """`records` newest first (as the history lists them), each compared with the one before."""
    records = list(records)
    result = []
    for index, record in enumerate(records):
        version = Version(record=record, kind=KINDS.get(record.history_type, ""))
        older = records[index + 1] if index + 1 < len(records) else None
        if older is not None:
            describe(version, record, older)
        result.append(version)
    return result


def describe(version: Version, record, older, only=None) -> None:
    """Fill `version` with what changed from `older` to `record` (among `only` fields)."""
    delta = record.diff_against(older, excluded_fields=NOT_SHOWN, foreign_keys_are_objs=True)
    for change in delta.changes:
        if only is not None and change.field not in only:
            continue
        if change.field in RICH_TEXT:
            version.body_changes = compare(html_to_text(change.old), html_to_text(change.new))
            if not version.body_changes:
                continue  # only the markup differs: nothing a reader would see
        model_field = Article._meta.get_field(change.field)
        version.changes.append(
            FieldChange(
                label=capfirst(model_field.verbose_name),
                old=display(model_field, change.old),
                new=display(model_field, change.new),
            )
        )


def display(model_field, value) -> str:
    if model_field.name in RICH_TEXT:
        return ""
    if model_field.many_to_many:
        names = [str(item) for row in value or [] for item in row.values() if _is_target(item)]
        return "、".join(names) or str(_("(none)"))
    if value is None or value == "":
        return str(_("(empty)"))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return formats.date_format(timezone.localtime(value), "Y-m-d H:i")
    return str(value)


def _is_target(item) -> bool:
    # A row of the history's through table names the article and the related item.
    return hasattr(item, "_meta") and not isinstance(item, Article)
