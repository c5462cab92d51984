"""The admin's 导入旧稿 page and the queue of recognised names.

导入旧稿 takes page files (.txt, .html, .htm) or .zip files of a mirrored site, shows the dry-run
table (what was read from each file and each doubt), and imports on confirmation with the same
engine as `manage.py import_articles`. The queue lists what 全部识别 found in imported articles
for editors to accept, correct or reject.
"""

import io
import zipfile

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core import audit
from core.twofactor import verified_permission_required
from members.admin import keep_upload, take_upload
from news import recognition
from news.importers import (
    SUFFIXES,
    ImportRefused,
    LegacyFile,
    files_from_zip,
    import_plan,
    plan,
    zip_of,
)
from news.models import Column, ExtractionProposal

UPLOAD_KIND = "legacy-articles"
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
IMPORT_PERMISSIONS = ("news.add_article", "news.change_article")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        # An empty file is for the import to refuse, with its reason beside its name.
        super().__init__(*args, allow_empty_file=True, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files if item]


class LegacyUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Files"),
        help_text=_("Saved pages (.html, .htm), plain-text copies (.txt) or .zip files of them."),
    )
    column = forms.ModelChoiceField(label=_("Column"), queryset=Column.objects.all())

    def clean_files(self):
        files = self.cleaned_data["files"]
        if not files:
            raise forms.ValidationError(_("Choose at least one file."))
        if sum(upload.size for upload in files) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The files are too large together (at most 200 MB)."))
        for upload in files:
            if not upload.name.lower().endswith((*SUFFIXES, ".zip")):
                raise forms.ValidationError(
                    _("%(name)s: only .txt, .html, .htm and .zip files can be imported.")
                    % {"name": upload.name}
                )
        return files


def bundle(uploads) -> bytes:
    """The uploads in one zip (a zip upload kept whole inside), stored until confirmed."""
    return zip_of({upload.name.replace("/", "_"): upload.read() for upload in uploads})


def files_from_bundle(data: bytes):
    """The pages of a stored bundle: its page files, and the pages of each zip inside it."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    for member in archive.infolist():
        name = member.filename
        if name.lower().endswith(".zip"):
            yield from files_from_zip(name, io.BytesIO(archive.read(member)))
        else:
            yield LegacyFile(name, "/" + name, (lambda m=member: archive.read(m)))


@verified_permission_required(*IMPORT_PERMISSIONS)
def import_view(request):
    """Upload, then the dry-run table with a confirmation button."""
    form = LegacyUploadForm(request.POST or None, request.FILES or None)
    context = {
        **admin.site.each_context(request),
        "title": _("Import legacy articles"),
        "opts": ExtractionProposal._meta,
        "form": form,
    }
    if request.method == "POST" and form.is_valid():
        data = bundle(form.cleaned_data["files"])
        reading = plan(files_from_bundle(data))
        column = form.cleaned_data["column"]
        token = None if reading.problems else keep_upload(request, UPLOAD_KIND, "legacy.zip", data)
        context.update(reading=reading, token=token, column=column)
    return TemplateResponse(request, "admin/news/legacy_import.html", context)


@require_POST
@verified_permission_required(*IMPORT_PERMISSIONS)
def import_confirm_view(request):
    upload = take_upload(request, UPLOAD_KIND, request.POST.get("token", ""))
    column = Column.objects.filter(pk=request.POST.get("column")).first()
    if upload is None or column is None:
        messages.error(
            request,
            _("This import has already been done, or has expired. Upload the files again."),
        )
        return redirect("admin:news_legacy_import")
    data, _name = upload
    try:
        report = import_plan(plan(files_from_bundle(data)), column)
    except ImportRefused as refused:
        for problem in refused.problems:
            messages.error(request, problem)
        return redirect("admin:news_legacy_import")
    audit.record(
        "import",
        request,
        register=UPLOAD_KIND,
        published=len(report.created),
        to_review=len(report.to_review),
        skipped=len(report.skipped),
    )
    messages.success(
        request,
        _(
            "Imported %(published)s articles as published and %(review)s as drafts to be "
            "checked; %(skipped)s were already on the site."
        )
        % {
            "published": len(report.created),
            "review": len(report.to_review),
            "skipped": len(report.skipped),
        },
    )
    return redirect(reverse("admin:news_article_changelist") + "?needs_review__exact=1")


@admin.register(ExtractionProposal)
class ExtractionProposalAdmin(admin.ModelAdmin):
    """The queue: what 全部识别 found, judged one by one or a page at a time."""

    change_list_template = "admin/news/legacy_import_queue.html"
    list_display = ["name", "post", "kind", "role", "article", "status", "final_name", "final_post"]
    list_filter = ["status", "kind", "role"]
    list_select_related = ["article"]
    search_fields = ["name", "post", "article__title"]
    readonly_fields = ["article", "kind", "name", "post", "role", "status", "decided_by"]
    fields = [*readonly_fields, "final_name", "final_post"]
    actions = ["accept_selected", "reject_selected"]

    # Whoever may change articles works through the names found in them.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("news.change_article")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("news.change_article")

    def has_module_permission(self, request):
        return request.user.has_perm("news.change_article")

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(import_view), name="news_legacy_import"),
            path(
                "import/confirm/",
                self.admin_site.admin_view(import_confirm_view),
                name="news_legacy_import_confirm",
            ),
            path(
                "recognise/",
                self.admin_site.admin_view(self.recognise_view),
                name="news_legacy_recognise",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "counts": recognition.counts()}
        return super().changelist_view(request, extra_context)

    @method_decorator(require_POST)
    def recognise_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        added = recognition.recognise_all()
        messages.success(request, _("%(count)s names found.") % {"count": added})
        return redirect("admin:news_extractionproposal_changelist")

    def save_model(self, request, obj, form, change):
        """Saving the form is a correction; an unchanged name and post is an acceptance."""
        status = (
            ExtractionProposal.Status.ACCEPTED
            if (obj.final_name, obj.final_post) in (("", ""), (obj.name, obj.post))
            else ExtractionProposal.Status.CORRECTED
        )
        recognition.decide(obj, request.user, status, obj.final_name, obj.final_post)

    @admin.action(description=_("Accept the selected names as found"), permissions=["change"])
    def accept_selected(self, request, queryset):
        for proposal in queryset.filter(status=ExtractionProposal.Status.PENDING):
            recognition.decide(proposal, request.user, ExtractionProposal.Status.ACCEPTED)

    @admin.action(description=_("Reject the selected names"), permissions=["change"])
    def reject_selected(self, request, queryset):
        for proposal in queryset.filter(status=ExtractionProposal.Status.PENDING):
            recognition.decide(proposal, request.user, ExtractionProposal.Status.REJECTED)
