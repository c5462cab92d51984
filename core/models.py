"""Abstract models the apps build on; core itself stores nothing."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Stamped(models.Model):
    """Who created a row and who last changed it, and when.

    The admin fills in the people (core.admin.StampedAdminMixin); a service that changes the
    row on someone's behalf sets ``updated_by`` itself. Deleting a user keeps the rows.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("updated by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True
