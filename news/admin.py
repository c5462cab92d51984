from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import audit, counters, richtext
from core import desk as admin_desk
from core.admin import HistoryAdmin, StampedAdminMixin, SuperuserDeletesMixin
from core.adminlists import LargeListMixin
from core.text import html_to_text
from core.twofactor import verified_permission_required
from core.widgets import SafeAutocompleteMixin
from members.admin import OrganizationAdmin, PersonAdmin
from members.models import Organization, Person
from news import assistant, desk, revisions, workflow
from news.models import (
    Article,
    Attachment,
    Column,
    Event,
    Participation,
    Source,
    Speech,
    is_public,
)


@admin.register(Column)
class ColumnAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name"]


class SourceAdminForm(forms.ModelForm):
    url = forms.URLField(label=_("web address"), required=False, assume_scheme="https")

    class Meta:
        model = Source
        fields = ["name", "url"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    form = SourceAdminForm
    list_display = ["name", "url"]
    search_fields = ["name"]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["title", "file", "order"]


class ArticleAdminForm(forms.ModelForm):
    """The article's content. Its place in the flow changes only through the footer's buttons
    (news.workflow), never through a field, so a posted `status` or `is_pinned` is ignored."""

    user = None  # set per request by ArticleAdmin.get_form
    action = None
    return_reason = ""

    class Meta:
        model = Article
        fields = [
            "title",
            "subtitle",
            "column",
            "source",
            "author",
            "published_at",
            "body",
            "summary",
            "cover_image",
            "events",
            "speeches",
        ]

    def clean_body(self):
        body, self.dropped_images = richtext.store_pasted_images(self.cleaned_data["body"])
        return body

    def clean(self):
        data = super().clean()
        if self.action == workflow.Action.RETURN and not self.return_reason.strip():
            raise forms.ValidationError(
                _("Say what the editor should change before returning it."), code="no_reason"
            )
        return data


@admin.register(Article)
class ArticleAdmin(LargeListMixin, SuperuserDeletesMixin, StampedAdminMixin, HistoryAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/news/article/change_form.html"
    list_display = ["short_title", "column", "source", "state", "published", "updated"]
    list_display_links = ["short_title"]
    list_filter = ["status", "column", "source", "is_pinned", "needs_review"]
    list_select_related = ["column", "source"]
    search_fields = ["title", "subtitle", "author"]
    date_hierarchy = "published_at"
    readonly_fields = ["view_count", "created_by", "created_at", "updated_by", "updated_at"]
    inlines = [AttachmentInline]
    autocomplete_fields = ["events", "speeches"]
    actions = ["publish_selected", "withdraw_selected"]
    fieldsets = [
        (None, {"fields": ["title", "subtitle", "column", "source", "author", "published_at"]}),
        (_("Content"), {"fields": ["body", "summary", "cover_image"]}),
        (_("What it reports"), {"fields": ["events", "speeches"]}),
        (
            _("Record"),
            {
                "classes": ["collapse"],
                "fields": ["view_count", "created_by", "created_at", "updated_by", "updated_at"],
            },
        ),
    ]

    object_history_template = "admin/news/article/object_history.html"
    object_history_form_template = "admin/news/article/object_history_form.html"

    def get_urls(self):
        extract = self.admin_site.admin_view(self.extract_view)
        # Preview: the public page of a draft or an old version, for those who may change it.
        preview = self.admin_site.admin_view(
            verified_permission_required("news.change_article")(self.preview_view)
        )
        return [
            path("<path:object_id>/extract/", extract, name="news_article_extract"),
            # The version's address first: <path:…> would take "3/history/5" as an id.
            path(
                "<path:object_id>/history/<int:version_id>/preview/",
                preview,
                name="news_article_version_preview",
            ),
            path("<path:object_id>/preview/", preview, name="news_article_preview"),
            *super().get_urls(),
        ]

    def view_on_site(self, obj):
        # Only a published article has a public page; the others have their preview.
        return obj.get_absolute_url() if obj.is_published() else None

    def may_extract(self, request, article) -> bool:
        may_record = request.user.has_perms(["news.add_event", "news.add_speech"])
        return may_record and self.has_change_permission(request, article)

    def extract_view(self, request, object_id):
        """从正文识别: proposals from the text beside it; saved only when the editor confirms."""
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404
        if not self.may_extract(request, article):
            raise PermissionDenied
        extraction, event_initial, participants, speeches = assistant.propose(article)
        if request.method == "POST":
            candidates = assistant.candidates_for_post(request.POST)
            event_form = assistant.EventProposalForm(request.POST, prefix="event")
            participant_forms = assistant.ParticipantFormSet(
                request.POST, prefix="participants", form_kwargs={"candidates": candidates}
            )
            speech_forms = assistant.SpeechFormSet(
                request.POST, prefix="speeches", form_kwargs={"candidates": candidates}
            )
            if event_form.is_valid() and participant_forms.is_valid() and speech_forms.is_valid():
                try:
                    event = assistant.accept(
                        article,
                        event_form.cleaned_data,
                        [form.cleaned_data for form in participant_forms],
                        [form.cleaned_data for form in speech_forms],
                    )
                except assistant.AlreadyRecorded:
                    self.message_user(
                        request,
                        _("This event is already recorded for the article."),
                        messages.WARNING,
                    )
                    return redirect("admin:news_article_change", article.pk)
                self.message_user(request, _("The confirmed facts were saved."), messages.SUCCESS)
                if event:
                    return redirect("admin:news_event_change", event.pk)
                return redirect("admin:news_article_change", article.pk)
        else:
            candidates = assistant.find_candidates(
                [(row["kind"], row["name"]) for row in participants + speeches]
            )
            event_form = assistant.EventProposalForm(initial=event_initial, prefix="event")
            participant_forms = assistant.ParticipantFormSet(
                initial=participants, prefix="participants", form_kwargs={"candidates": candidates}
            )
            speech_forms = assistant.SpeechFormSet(
                initial=speeches, prefix="speeches", form_kwargs={"candidates": candidates}
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("Recognise from the text"),
            "text": html_to_text(article.body),
            "notices": extraction.notices,
            "event_form": event_form,
            "participant_forms": participant_forms,
            "speech_forms": speech_forms,
        }
        return TemplateResponse(request, "admin/news/article/extract.html", context)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        form.action = getattr(request, "article_action", None)
        form.return_reason = request.POST.get("_return_reason", "")
        return form

    @admin.display(description=_("title"), ordering="title")
    def short_title(self, obj):
        # A narrow column wraps a long title into many lines: cut it, the full title on hover.
        return format_html('<span title="{}">{}</span>', obj.title, Truncator(obj.title).chars(32))

    @admin.display(description=_("status"), ordering="status")
    def state(self, obj):
        words = [obj.get_status_display()]
        if obj.status == Article.Status.PUBLISHED and not obj.is_published():
            words = [_("Scheduled")]
        if obj.is_pinned:
            words.append(_("Pinned"))
        return " · ".join(str(word) for word in words)

    @admin.display(description=_("publication time"), ordering="published_at")
    def published(self, obj):
        return formats.date_format(timezone.localtime(obj.published_at), "Y-m-d H:i")

    @admin.display(description=_("updated at"), ordering="updated_at")
    def updated(self, obj):
        return formats.date_format(timezone.localtime(obj.updated_at), "m-d H:i")

    @admin.display(description=_("body"))
    def rendered_body(self, obj):
        return render_to_string("admin/news/article/rendered_body.html", {"article": obj})

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read only: the body as readers see it, not its HTML source.
        return [
            (name, {**options, "fields": [
                "rendered_body" if field == "body" else field for field in options["fields"]
            ]})
            for name, options in fieldsets
        ]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not self.has_change_permission(request, obj):
            fields.append("rendered_body")
        return fields

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and IS_POPUP_VAR not in request.POST:
            article = self.get_object(request, unquote(object_id)) if object_id else None
            if object_id and article is None:
                return super().changeform_view(request, object_id, form_url, extra_context)
            allowed = workflow.available_actions(request.user, article)
            posted = request.POST.get("_action")
            action = workflow.parse_action(posted) if posted else (allowed or [None])[0]
            if action not in allowed:
                raise PermissionDenied
            request.article_action = action
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        actions = workflow.available_actions(request.user, obj)
        context.update(
            workflow_buttons=[
                (action.value, workflow.label(action, obj))
                for action in actions
                if action != workflow.Action.RETURN
            ],
            may_return=workflow.Action.RETURN in actions,
            may_extract=obj is not None and self.may_extract(request, obj),
            may_preview=obj is not None and request.user.has_perm("news.change_article"),
            return_reason=request.POST.get("_return_reason", ""),
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_add(self, request, obj, post_url_continue=None):
        return self._after_action(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self._after_action(request, obj) or super().response_change(request, obj)

    def _after_action(self, request, obj):
        message = getattr(request, "article_message", None)
        if message is None:
            return None
        self.message_user(request, format_html("“{}”：{}", obj.title, message), messages.SUCCESS)
        for dropped in getattr(request, "article_dropped_images", []):
            self.message_user(request, dropped, messages.WARNING)
        stay = request.article_action in (
            workflow.Action.SAVE_DRAFT,
            workflow.Action.SAVE,
            workflow.Action.PIN,
            workflow.Action.UNPIN,
        )
        if stay and self.has_change_permission(request, obj):
            return redirect("admin:news_article_change", obj.pk)
        # After a step in the flow, back to the desk, where the next piece of work waits.
        return redirect("admin:index")

    def set_history_delta_changes(self, request, historical_records, **kwargs):
        pass  # the history page compares versions itself, in words an editor reads

    def render_history_view(self, request, template, context, **kwargs):
        if "page_obj" in context:
            context["versions"] = revisions.versions(context["page_obj"].object_list)
            context["may_preview"] = request.user.has_perm("news.change_article")
        return super().render_history_view(request, template, context, **kwargs)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """One old version: what restoring it would change, and the button to do it.

        Restoring brings back the content only (news.workflow.restore_content) and needs the
        right to change the article as it is now: a published article, a reviewer's.
        """
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        version = get_object_or_404(article.history, history_id=version_id)
        may_restore = self.has_change_permission(request, article)
        if request.method == "POST":
            if not may_restore:
                raise PermissionDenied
            workflow.restore_content(article, version, request.user)
            self.log_change(request, article, str(article._change_reason))
            self.message_user(
                request,
                _("The content of this version was restored; status and pin are unchanged."),
                messages.SUCCESS,
            )
            return redirect("admin:news_article_change", article.pk)
        comparison = revisions.Version(record=version, kind="")
        revisions.describe(
            comparison,
            version,
            article.history.first(),
            only=workflow.CONTENT_FIELDS + workflow.CONTENT_M2M_FIELDS,
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "version": version,
            "comparison": comparison,
            "may_restore": may_restore,
            "may_preview": request.user.has_perm("news.change_article"),
            "title": _("Version of %(when)s")
            % {"when": formats.date_format(timezone.localtime(version.history_date), "Y-m-d H:i")},
        }
        return TemplateResponse(request, self.object_history_form_template, context)

    def preview_view(self, request, object_id, version_id=None):
        """The public page of the article (or of one of its versions), marked as a preview."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        version = None
        if version_id is not None:
            version = get_object_or_404(article.history, history_id=version_id)
            shown = version.instance
        else:
            shown = article
        response = TemplateResponse(
            request,
            "news/article_detail.html",
            {"article": shown, "object": shown, "preview": True, "version": version},
        )
        response["Cache-Control"] = "no-store"
        return response

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and workflow.can_change(
            request.user, obj
        )

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def save_model(self, request, obj, form, change):
        before = obj.status
        action = getattr(request, "article_action", None)
        if action is not None:
            request.article_message = workflow.apply(
                action, obj, request.user, request.POST.get("_return_reason", "")
            )
            request.article_dropped_images = getattr(form, "dropped_images", [])
        super().save_model(request, obj, form, change)
        if obj.status != before or not change:
            audit_status_change(request, obj)

    @admin.action(permissions=["publish"], description=_("Publish the selected articles"))
    def publish_selected(self, request, queryset):
        self._set_status(request, queryset, Article.Status.PUBLISHED)

    @admin.action(permissions=["publish"], description=_("Withdraw the selected articles"))
    def withdraw_selected(self, request, queryset):
        self._set_status(request, queryset, Article.Status.WITHDRAWN)

    def _set_status(self, request, queryset, status):
        # Saved one by one, so that every save rule (and history, later) applies.
        articles = list(queryset.exclude(status=status))
        for article in articles:
            article.status = status
            article.updated_by = request.user
            article.save(update_fields=["status", "updated_by", "updated_at"])
            audit_status_change(request, article)
        self.message_user(
            request,
            ngettext(
                "%(count)d article is now “%(status)s”.",
                "%(count)d articles are now “%(status)s”.",
                len(articles),
            )
            % {"count": len(articles), "status": status.label},
            messages.SUCCESS,
        )


# The newsroom's panels on the admin's front page, in this order. Their counts in the menu
# move with the articles and with who may review or write them.
for panel in (desk.review_queue, desk.my_articles, desk.recently_published):
    admin_desk.register(panel, count_changes_with=[Article, *counters.access_models()])


def audit_status_change(request, article):
    events = {Article.Status.PUBLISHED: "publish", Article.Status.WITHDRAWN: "withdraw"}
    if article.status in events:
        audit.record(events[article.status], request, article=article.pk, title=article.title)


# What a published report says changes only through review, as the report does ----------

PUBLIC_RECORD_NOTICE = _(
    "A published report names this record, so it is shown read-only: only a reviewer "
    "(who may publish) can change it. Ask a reviewer to make the change."
)


def locked_for(request, record, *, with_speeches=False) -> bool:
    """Whether `record` is public and the user may not publish: then they may only look.

    With `with_speeches`, an event is also locked by a public speech held at it. Asked
    several times per admin page, so the answer is kept on the request.
    """
    if record is None or record.pk is None or workflow.can_publish(request.user):
        return False
    answers = request.__dict__.setdefault("_public_records", {})
    key = (type(record), record.pk, with_speeches)
    if key not in answers:
        answers[key] = is_public(record) or (
            with_speeches and Speech.objects.public().filter(event=record).exists()
        )
    return answers[key]


class ReviewedWhenPublicMixin:
    """For the admins of events, speeches, people and organisations."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not locked_for(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not locked_for(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and locked_for(
            request, self.get_object(request, unquote(object_id))
        ):
            self.message_user(request, PUBLIC_RECORD_NOTICE, messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)


class ReportedColumnMixin:
    """A list column saying which rows a published report names (so only reviewers change)."""

    def get_queryset(self, request):
        public = self.model.objects.public().filter(pk=OuterRef("pk"))
        return super().get_queryset(request).annotate(reported=Exists(public))

    @admin.display(boolean=True, description=_("in a published report"), ordering="reported")
    def in_published_report(self, obj):
        return obj.reported


class ReviewedWhenEventPublicMixin:
    """For rows edited inside an event: read-only while the event, or a speech at it, is public."""

    def locked(self, request, event):
        return locked_for(request, event, with_speeches=True)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self.locked(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self.locked(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self.locked(request, obj)


class ParticipationInline(ReviewedWhenEventPublicMixin, SafeAutocompleteMixin, admin.TabularInline):
    model = Participation
    extra = 1
    fields = ["order", "role", "person", "organization", "post"]
    autocomplete_fields = ["person", "organization"]


class SpeechInline(ReviewedWhenEventPublicMixin, SafeAutocompleteMixin, admin.StackedInline):
    model = Speech
    extra = 0
    fields = ["title", "speaker", "speaker_post", "date", "text"]
    autocomplete_fields = ["speaker"]


@admin.register(Event)
class EventAdmin(ReportedColumnMixin, ReviewedWhenPublicMixin, HistoryAdmin):
    list_display = [
        "name",
        "start_date",
        "date_as_written",
        "place",
        "theme",
        "in_published_report",
    ]
    list_filter = ["theme"]
    search_fields = ["name", "place", "theme"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["organizer"]
    inlines = [ParticipationInline, SpeechInline]
    fieldsets = [
        (None, {"fields": ["name", "theme", "organizer", "place"]}),
        (_("When"), {"fields": ["start_date", "end_date", "date_as_written"]}),
        (None, {"fields": ["description"]}),
    ]


@admin.register(Speech)
class SpeechAdmin(ReportedColumnMixin, ReviewedWhenPublicMixin, HistoryAdmin):
    list_display = ["title", "speaker", "speaker_post", "event", "date", "in_published_report"]
    list_select_related = ["speaker", "event"]
    search_fields = ["title", "speaker__name", "speaker_post"]
    autocomplete_fields = ["speaker", "event"]


# People and organisations are recorded in members; what makes one public is a news rule.
admin.site.unregister(Person)
admin.site.unregister(Organization)


@admin.register(Person)
class ReportedPersonAdmin(ReviewedWhenPublicMixin, PersonAdmin):
    pass


@admin.register(Organization)
class ReportedOrganizationAdmin(ReviewedWhenPublicMixin, OrganizationAdmin):
    pass


from news import legacy_admin  # noqa: E402, F401  (导入旧稿 and the queue of names)
