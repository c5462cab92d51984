"""What a report says about a speech, for a speech page that has no text of its own."""

from dataclasses import dataclass

from django import template

from core.text import html_to_text, paragraphs_mentioning

register = template.Library()


@dataclass(frozen=True)
class Excerpt:
    article: object
    paragraphs: list[str]


@register.simple_tag
def speech_excerpt(speech):
    """The paragraphs of the first published report that name the speaker, or None."""
    names = [speech.speaker.name, speech.title]
    for article in getattr(speech, "reports", None) or []:
        paragraphs = paragraphs_mentioning(html_to_text(article.body), names)
        if paragraphs:
            return Excerpt(article, paragraphs)
    return None
