from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import audit
from core.admin import HistoryAdmin
from core.text import html_to_text
from core.widgets import SafeAutocompleteMixin
from news import assistant, workflow
from news.models import Article, Attachment, Column, Event, Participation, Source, Speech


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
    """Offers each user only the statuses the editorial flow allows them, and checks it again."""

    user = None  # set per request by ArticleAdmin.get_form

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
            "status",
            "is_pinned",
            "events",
            "speeches",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields:
            self.fields["status"].choices = [
                (status.value, status.label) for status in workflow.allowed_statuses(self.user)
            ]

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status not in workflow.allowed_statuses(self.user):
            raise forms.ValidationError(_("You may not give an article this status."))
        return status


@admin.register(Article)
class ArticleAdmin(HistoryAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/news/article/change_form.html"
    list_display = [
        "title",
        "column",
        "source",
        "status",
        "is_pinned",
        "published_at",
        "is_published",
        "updated_at",
    ]
    list_filter = ["status", "column", "source", "is_pinned"]
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
        (_("Publishing"), {"fields": ["status", "is_pinned"]}),
        (
            _("Record"),
            {
                "classes": ["collapse"],
                "fields": ["view_count", "created_by", "created_at", "updated_by", "updated_at"],
            },
        ),
    ]

    def get_urls(self):
        extract = self.admin_site.admin_view(self.extract_view)
        return [
            path("<path:object_id>/extract/", extract, name="news_article_extract"),
            *super().get_urls(),
        ]

    def extract_view(self, request, object_id):
        """从正文识别: proposals from the text beside it; saved only when the editor confirms."""
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404
        may_record = request.user.has_perms(["news.add_event", "news.add_speech"])
        if not (self.has_change_permission(request, article) and may_record):
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
        return form

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not workflow.can_pin(request.user):
            fields.append("is_pinned")
        return fields

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and workflow.can_change(
            request.user, obj
        )

    def has_delete_permission(self, request, obj=None):
        # Articles are withdrawn, not deleted; only a superuser removes one outright.
        return request.user.is_superuser

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        if "status" in form.changed_data:
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


def audit_status_change(request, article):
    events = {Article.Status.PUBLISHED: "publish", Article.Status.WITHDRAWN: "withdraw"}
    if article.status in events:
        audit.record(events[article.status], request, article=article.pk, title=article.title)


class ParticipationInline(SafeAutocompleteMixin, admin.TabularInline):
    model = Participation
    extra = 1
    fields = ["order", "role", "person", "organization", "post"]
    autocomplete_fields = ["person", "organization"]


class SpeechInline(SafeAutocompleteMixin, admin.StackedInline):
    model = Speech
    extra = 0
    fields = ["title", "speaker", "speaker_post", "date", "text"]
    autocomplete_fields = ["speaker"]


@admin.register(Event)
class EventAdmin(HistoryAdmin):
    list_display = ["name", "start_date", "date_as_written", "place", "theme"]
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
class SpeechAdmin(HistoryAdmin):
    list_display = ["title", "speaker", "speaker_post", "event", "date"]
    list_select_related = ["speaker", "event"]
    search_fields = ["title", "speaker__name", "speaker_post"]
    autocomplete_fields = ["speaker", "event"]
