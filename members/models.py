import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import RandomName
from core.private_files import private_storage
from members.credentials import (
    CREDIT_CODE_LENGTH,
    FIRST_LICENSE_YEAR,
    LICENSE_NUMBER_LENGTH,
    license_year,
    normalize_credit_code,
    normalize_license_number,
    validate_credit_code,
    validate_lawyer_license_number,
)


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
    history = HistoricalRecords()

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
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return f"{self.name}（{self.note}）" if self.note else self.name


# The directory of law firms and lawyers ----------------------------------------------------


def validate_law_firm_credit_code(value):
    message = validate_credit_code(value, law_firm=True)
    if message:
        raise ValidationError(message, code="credit_code")


def validate_license_number(value):
    message = validate_lawyer_license_number(value)
    if message:
        raise ValidationError(message, code="license_number")


class CreditCodeField(models.CharField):
    """A 统一社会信用代码, kept half-width and upper-case however it was typed."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", CREDIT_CODE_LENGTH)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_credit_code(value) if value else value


class LicenseNumberField(models.CharField):
    """A lawyer's 执业证号, kept as half-width digits however it was typed."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", LICENSE_NUMBER_LENGTH)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_license_number(value) if value else value


class LawFirmQuerySet(models.QuerySet):
    def practising(self):
        return self.filter(practice_status=LawFirm.Status.PRACTISING)

    def matching(self, *, name="", credit_code=""):
        """The public 律所查询: part of the name, or the exact credit code."""
        firms = self
        if name:
            firms = firms.filter(name__icontains=name)
        if credit_code:
            firms = firms.filter(credit_code=normalize_credit_code(credit_code))
        return firms


class LawFirm(models.Model):
    """A law firm (律师事务所) in the association's register."""

    class Status(models.TextChoices):
        PRACTISING = "practising", _("Practising")
        SUSPENDED = "suspended", _("Suspended for rectification")
        DISSOLVED = "dissolved", _("Dissolved")

    name = models.CharField(_("name"), max_length=200, unique=True)
    credit_code = CreditCodeField(
        _("unified social credit code"),
        unique=True,
        validators=[validate_law_firm_credit_code],
        help_text=_("18 characters, starting with 31; the last one is a check character."),
    )
    license_number = models.CharField(
        _("practice licence number"), max_length=30, blank=True, db_index=True
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    founded = models.DateField(_("founded"), null=True, blank=True)
    practice_status = models.CharField(
        _("practice status"), max_length=20, choices=Status.choices, default=Status.PRACTISING
    )
    # Events and speeches name organisations; this tells which of them is this firm. The
    # firm's party organisation points here from party_building, not the other way round.
    organization = models.OneToOneField(
        Organization,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="law_firm",
        limit_choices_to={"kind": Organization.Kind.LAW_FIRM},
        verbose_name=_("organisation"),
        help_text=_("The same firm as named in meetings and speeches, if it is there."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = LawFirmQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("law firm")
        verbose_name_plural = _("law firms")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:firm", kwargs={"pk": self.pk})

    def clean(self):
        if self.organization and self.organization.kind != Organization.Kind.LAW_FIRM:
            raise ValidationError(
                {"organization": _("Choose an organisation of the kind “law firm”.")}
            )


# Only these fields leave the database for the public lookup (see LawyerQuerySet.public).
LAWYER_PUBLIC_FIELDS = [
    "license_number",
    "practice_status",
    "first_licensed_year",
    "person",
    "person__name",
    "firm",
    "firm__name",
    "firm__practice_status",
]


class LawyerQuerySet(models.QuerySet):
    def practising(self):
        return self.filter(practice_status=Lawyer.Status.PRACTISING)

    def public(self):
        """What the public lookup may show, and nothing else: no phone, no address.

        A template asking for another field would cost a query per lawyer, which the
        query-count tests catch.
        """
        return self.select_related("person", "firm").only(*LAWYER_PUBLIC_FIELDS)

    def matching(self, *, name="", license_number="", firm=""):
        """The public 律师查询: exact name or licence number, narrowed by part of a firm name."""
        lawyers = self
        if name:
            lawyers = lawyers.filter(person__name=name)
        if license_number:
            lawyers = lawyers.filter(license_number=normalize_license_number(license_number))
        if firm:
            lawyers = lawyers.filter(firm__name__icontains=firm)
        return lawyers


class Lawyer(models.Model):
    """A lawyer (律师) in the association's register: a person holding a practice licence.

    Party membership is recorded in party_building, never here.
    """

    class Status(models.TextChoices):
        PRACTISING = "practising", _("Practising")
        SUSPENDED = "suspended", _("Suspended from practice")
        CANCELLED = "cancelled", _("Licence cancelled")

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    person = models.OneToOneField(
        Person, models.PROTECT, related_name="lawyer", verbose_name=_("person")
    )
    license_number = LicenseNumberField(
        _("licence number"),
        unique=True,
        validators=[validate_license_number],
        help_text=_("The 17 digits of the practice licence (执业证号)."),
    )
    firm = models.ForeignKey(
        LawFirm,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="lawyers",
        verbose_name=_("firm of practice"),
    )
    practice_status = models.CharField(
        _("practice status"), max_length=20, choices=Status.choices, default=Status.PRACTISING
    )
    first_licensed_year = models.PositiveSmallIntegerField(
        _("year first licensed"),
        null=True,
        blank=True,
        help_text=_("Left empty, it is read from the licence number."),
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    practice_areas = models.CharField(
        _("practice areas"),
        max_length=200,
        blank=True,
        help_text=_("Separated by 、, e.g. 刑事、婚姻家庭."),
    )
    phone = models.CharField(
        _("phone"), max_length=30, blank=True, help_text=_("Private: never shown on the site.")
    )
    address = models.CharField(
        _("address"), max_length=200, blank=True, help_text=_("Private: never shown on the site.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = LawyerQuerySet.as_manager()

    class Meta:
        ordering = ["license_number"]
        # The admin's filter by status, in the list's order.
        indexes = [
            models.Index(fields=["practice_status", "license_number"], name="lawyer_status_idx")
        ]
        verbose_name = _("lawyer")
        verbose_name_plural = _("lawyers")
        # One permission for both registers: importing lawyers needs the firms anyway.
        permissions = [("import_register", _("Can import the register"))]

    def __str__(self):
        return f"{self.person.name}（{self.license_number}）"

    def clean(self):
        # A malformed licence number is reported by its own validator.
        if self.first_licensed_year is None and not validate_lawyer_license_number(
            self.license_number
        ):
            self.first_licensed_year = license_year(self.license_number)
        if self.first_licensed_year is not None:
            last = datetime.date.today().year + 1
            if not FIRST_LICENSE_YEAR <= self.first_licensed_year <= last:
                raise ValidationError(
                    {
                        "first_licensed_year": _("Enter a year from %(first)s to %(last)s.")
                        % {"first": FIRST_LICENSE_YEAR, "last": last}
                    }
                )


class PendingImport(models.Model):
    """A register file uploaded for import, waiting for its uploader to confirm the dry run.

    The file is in the private storage and this row names it, so the confirmation works on
    whichever app server receives it. Confirming deletes the row and the file; what nobody
    confirms is deleted after a day (members.admin.discard_stale_uploads).
    """

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30)
    filename = models.CharField(max_length=255)
    file = models.FileField(
        upload_to=RandomName("register-imports"), storage=private_storage, max_length=200
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("register import waiting for confirmation")
        verbose_name_plural = _("register imports waiting for confirmation")

    def __str__(self):
        return self.filename
