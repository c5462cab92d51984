"""Keeping the search index in step with the items it covers."""

from django.db.models.signals import post_delete, post_save

from news import search
from news.models import Article, Event, SearchEntry, Speech

KINDS = {
    Article: SearchEntry.Kind.ARTICLE,
    Speech: SearchEntry.Kind.SPEECH,
    Event: SearchEntry.Kind.EVENT,
}


def reindex(sender, instance, raw=False, **kwargs):
    if not raw:  # fixtures and restores carry their own index or rebuild it
        search.index(instance)


def drop(sender, instance, **kwargs):
    search.unindex(KINDS[sender], instance.pk)


def connect():
    for model in KINDS:
        post_save.connect(reindex, sender=model, dispatch_uid=f"search-index-{model.__name__}")
        post_delete.connect(drop, sender=model, dispatch_uid=f"search-drop-{model.__name__}")
