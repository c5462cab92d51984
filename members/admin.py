import datetime
import io
import secrets

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core import audit
from core.admin import HistoryAdmin, SuperuserDeletesMixin
from core.adminlists import LargeListMixin
from members import importers
from members.forms import RegisterUploadForm
from members.models import LawFirm, Lawyer, Organization, PendingImport, Person
from members.tabular import TableError


# news.admin registers these two again with the publication rule: a person or organisation
# named by a published report changes only through a reviewer.
@admin.register(Person)
class PersonAdmin(SuperuserDeletesMixin, HistoryAdmin):
    list_display = ["name", "note"]
    search_fields = ["name", "note"]


@admin.register(Organization)
class OrganizationAdmin(SuperuserDeletesMixin, HistoryAdmin):
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


# The register: law firms and lawyers, with the import from spreadsheets --------------------

UPLOAD_MAX_AGE = datetime.timedelta(days=1)  # how long an upload waits for its confirmation
SESSION_KEY = "members_register_uploads"
REPORT_ROWS = 500  # rows of each kind listed on the report; the rest are counted


def discard_stale_uploads() -> None:
    """Delete the uploads nobody confirmed in time, with their files."""
    for pending in PendingImport.objects.filter(
        created_at__lt=timezone.now() - UPLOAD_MAX_AGE
    ).iterator():
        pending.file.delete(save=False)
        pending.delete()


def keep_upload(request, kind: str, filename: str, data: bytes) -> str:
    """Store an upload until it is confirmed; returns the token that names it, once.

    The file goes to the private storage and its row to the database, so that the
    confirmation may reach any app server; the token is also remembered in this session.
    """
    if len(kind) > PendingImport._meta.get_field("kind").max_length:
        raise ValueError(f"upload kind {kind!r} is longer than PendingImport.kind allows")
    discard_stale_uploads()
    token = secrets.token_urlsafe(24)
    PendingImport.objects.create(
        token=token,
        user=request.user,
        kind=kind,
        filename=filename[:255],
        file=ContentFile(data, name="upload.bin"),
    )
    uploads = request.session.get(SESSION_KEY, {})
    uploads[token] = {"kind": kind}
    request.session[SESSION_KEY] = uploads
    return token


def take_upload(request, kind: str, token: str) -> tuple[bytes, str] | None:
    """The upload a token names, at most once: a second submission finds nothing.

    Deleting the row is what claims it, so that two submissions at the same moment (on one
    server or two) cannot both get it, whatever their sessions say.
    """
    uploads = request.session.get(SESSION_KEY, {})
    entry = uploads.pop(token, None)
    request.session[SESSION_KEY] = uploads
    if entry is None or entry["kind"] != kind:
        return None
    pending = PendingImport.objects.filter(
        token=token,
        user=request.user,
        kind=kind,
        created_at__gte=timezone.now() - UPLOAD_MAX_AGE,
    ).first()
    if pending is None or not PendingImport.objects.filter(pk=pending.pk).delete()[0]:
        return None
    try:
        with pending.file.open("rb") as file:
            data = file.read()
    except FileNotFoundError:
        return None
    finally:
        pending.file.delete(save=False)
    return data, pending.filename


class RegisterImportMixin:
    """Adds 导入 to a changelist: upload, a dry-run report, then the import on confirmation."""

    import_kind = None  # importers.FIRMS or importers.LAWYERS
    import_key_label = import_name_label = None  # the report's column headers
    import_also_adds = ()  # permissions for the other records a new row creates

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="{}_{}_import".format(*info),
            ),
            path(
                "import/confirm/",
                self.admin_site.admin_view(self.import_confirm_view),
                name="{}_{}_import_confirm".format(*info),
            ),
            *super().get_urls(),
        ]

    def has_import_permission(self, request):
        return request.user.has_perm("members.import_register")

    def import_rights(self, request) -> importers.Rights:
        """What this user could write by hand in this admin: the import writes no more."""
        return importers.Rights(
            may_create=self.has_add_permission(request)
            and request.user.has_perms(self.import_also_adds),
            may_change=lambda record: self.has_change_permission(request, record),
        )

    def changelist_view(self, request, extra_context=None):
        if self.has_import_permission(request):
            extra_context = {
                **(extra_context or {}),
                "register_import_url": reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_import"
                ),
            }
        return super().changelist_view(request, extra_context)

    def import_context(self, request, **kwargs):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import %(name)s") % {"name": self.opts.verbose_name_plural},
            "headers": importers.HEADERS[self.import_kind],
            "required": importers.REQUIRED[self.import_kind],
            "key_label": self.import_key_label,
            "name_label": self.import_name_label,
            **kwargs,
        }

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = RegisterUploadForm(request.POST or None, request.FILES or None)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            try:
                plan = importers.plan_import(
                    self.import_kind,
                    io.BytesIO(data),
                    upload.name,
                    rights=self.import_rights(request),
                )
            except TableError as error:
                form.add_error("file", error.message)
            else:
                token = (
                    None
                    if plan.refused
                    else keep_upload(request, self.import_kind, upload.name, data)
                )
                return self.render_report(request, plan, token=token)
        return TemplateResponse(
            request, "admin/members/import_form.html", self.import_context(request, form=form)
        )

    @method_decorator(require_POST)
    def import_confirm_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        upload = take_upload(request, self.import_kind, request.POST.get("token", ""))
        if upload is None:
            self.message_user(
                request,
                _("This import has already been done, or has expired. Upload the file again."),
                messages.ERROR,
            )
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
        data, filename = upload
        try:
            plan = importers.import_register(
                self.import_kind,
                io.BytesIO(data),
                filename,
                user=request.user,
                rights=self.import_rights(request),
            )
        except TableError as error:
            self.message_user(request, error.message, messages.ERROR)
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
        if plan.refused:
            return self.render_report(request, plan, token=None)
        audit.record("import", request, register=self.import_kind, file=filename, **plan.counts)
        self.message_user(
            request,
            _(
                "Imported %(filename)s: %(create)s created, %(update)s updated, "
                "%(unchanged)s unchanged."
            )
            % {"filename": filename, **plan.counts},
            messages.SUCCESS,
        )
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")

    def render_report(self, request, plan, *, token):
        sections = []
        for action in (
            importers.Action.REFUSE,
            importers.Action.CREATE,
            importers.Action.UPDATE,
            importers.Action.UNCHANGED,
        ):
            rows = [row for row in plan.rows if row.action == action]
            if rows:
                sections.append(
                    {
                        "action": action,
                        "rows": rows[:REPORT_ROWS],
                        "total": len(rows),
                        "hidden": max(0, len(rows) - REPORT_ROWS),
                    }
                )
        return TemplateResponse(
            request,
            "admin/members/import_report.html",
            self.import_context(
                request, plan=plan, counts=plan.counts, sections=sections, token=token
            ),
        )


@admin.register(LawFirm)
class LawFirmAdmin(SuperuserDeletesMixin, RegisterImportMixin, HistoryAdmin):
    import_kind = importers.FIRMS
    import_key_label = _("Unified social credit code")
    import_name_label = _("Name of the firm")
    list_display = ["name", "credit_code", "practice_status", "founded", "phone"]
    list_filter = ["practice_status"]
    search_fields = ["name", "credit_code", "license_number"]
    autocomplete_fields = ["organization"]
    readonly_fields = ["created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        obj._change_reason = str(_("Edited in the admin"))
        super().save_model(request, obj, form, change)


@admin.register(Lawyer)
class LawyerAdmin(LargeListMixin, SuperuserDeletesMixin, RegisterImportMixin, HistoryAdmin):
    import_kind = importers.LAWYERS
    import_also_adds = ("members.add_person",)  # each new lawyer is a new person
    import_key_label = _("Licence number")
    import_name_label = _("Name")
    list_display = ["name", "license_number", "firm", "practice_status", "first_licensed_year"]
    list_filter = ["practice_status", "gender"]
    list_select_related = ["person", "firm"]
    search_fields = ["person__name", "license_number", "firm__name"]
    autocomplete_fields = ["person", "firm"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "person",
                    "license_number",
                    "firm",
                    "practice_status",
                    "first_licensed_year",
                    "gender",
                    "practice_areas",
                ]
            },
        ),
        (_("Private: never shown on the site"), {"fields": ["phone", "address"]}),
        (_("Record"), {"classes": ["collapse"], "fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description=_("Name"), ordering="person__name")
    def name(self, lawyer):
        return lawyer.person.name

    def save_model(self, request, obj, form, change):
        obj._change_reason = str(_("Edited in the admin"))
        super().save_model(request, obj, form, change)
