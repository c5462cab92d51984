"""Pages rendered without the test client's record of each template and its context.

Under test, Django wraps ``Template._render`` to send a signal for every template rendered,
and the test client answers each by keeping a copy of the context (``response.templates``,
``response.context``). The walks over many pages never read that record, and on a page that
includes a template per option of its menus (an admin change page lists a few hundred
columns, sources or branches, several times) the copies were about 40% of the page's cost.

A test module that reads neither imports the fixture, which then applies to its every test:

    from tests.security.unrecorded import templates_not_recorded  # noqa: F401
"""

import pytest
from django.template import Template
from django.test.utils import instrumented_test_render


def _render(self, context):
    # django.template.base.Template._render, as it is outside the test environment.
    return self.nodelist.render(context)


@pytest.fixture(autouse=True)
def templates_not_recorded(monkeypatch):
    """Every template of the test renders as outside the test environment: no record."""
    assert Template._render is instrumented_test_render, "the test environment has changed"
    monkeypatch.setattr(Template, "_render", _render)
