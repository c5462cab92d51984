from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from news import workflow
from news.models import Article, Attachment, Column, Source


@admin.register(Column)
class ColumnAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
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
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
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
    actions = ["publish_selected", "withdraw_selected"]
    fieldsets = [
        (None, {"fields": ["title", "subtitle", "column", "source", "author", "published_at"]}),
        (_("Content"), {"fields": ["body", "summary", "cover_image"]}),
        (_("Publishing"), {"fields": ["status", "is_pinned"]}),
        (
            _("Record"),
            {
                "classes": ["collapse"],
                "fields": ["view_count", "created_by", "created_at", "updated_by", "updated_at"],
            },
        ),
    ]

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
