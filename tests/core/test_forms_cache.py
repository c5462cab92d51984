"""{% cached_form %}: the same HTML as the form renders, kept per content and values sent."""

import pytest
from django import forms
from django.core.cache import cache
from django.http import QueryDict
from django.template import engines

from core import pagecache
from core.templatetags.forms_cache import cached_form

pytestmark = pytest.mark.django_db

MENU = ["本站原创"]


class SourceForm(forms.Form):
    source = forms.ChoiceField(required=False, choices=lambda: [(name, name) for name in MENU])
    year = forms.IntegerField(required=False)


def render(query):
    form = SourceForm(QueryDict(query))
    return str(cached_form(form, "sources")), str(SourceForm(QueryDict(query)).as_div())


def test_the_cached_form_is_the_forms_own_html_for_each_set_of_values():
    for query in ("", "source=本站原创", "year=2014", "source=本站原创&year=2014&page=3"):
        cached, direct = render(query)
        assert cached == direct
        assert render(query)[0] == direct  # the second time from the cache
    assert 'value="2014"' in render("year=2014")[0]


def test_a_form_with_errors_is_rendered_afresh_and_never_stored(monkeypatch):
    stored = []
    monkeypatch.setattr(cache, "set", lambda key, *args, **kwargs: stored.append(key))
    cached, direct = render("year=abc")
    assert cached == direct and "errorlist" in cached
    assert stored == []
    render("year=2014")
    assert len(stored) == 1


def test_the_stored_form_lasts_until_the_content_changes():
    render("")
    MENU.append("司法部网站")
    try:
        assert "司法部网站" not in render("")[0]
        pagecache.content_changed()
        assert "司法部网站" in render("")[0]
    finally:
        MENU.remove("司法部网站")


def test_the_tag_renders_in_a_template():
    template = engines["django"].from_string(
        '{% load forms_cache %}{% cached_form form "sources" %}'
    )
    html = template.render({"form": SourceForm(QueryDict("year=<b>"))})
    assert "&lt;b&gt;" in html and "<b>" not in html
