from django.db import models
from django.utils.translation import gettext_lazy as _


class Organization(models.Model):
    """A body in the association's records (单位 / 机构): 司法部, a law firm, a 党支部."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government body")
        JUSTICE_BUREAU = "justice_bureau", _("Justice department or bureau")
        BAR_ASSOCIATION = "bar_association", _("Bar association")
        LAW_FIRM = "law_firm", _("Law firm")
        PARTY_ORGANIZATION = "party_organization", _("Party organisation")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, db_index=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent organisation"),
        help_text=_("e.g. the law firm a party branch sits in."),
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class Person(models.Model):
    """A person named in the association's records. People can share a name: identity is the row."""

    name = models.CharField(_("name"), max_length=50, db_index=True)
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("Tells apart people who share a name, e.g. 司法部 or 某律师事务所."),
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return f"{self.name}（{self.note}）" if self.note else self.name
