import pytest

from core.sanitize import clean_html
from core.text import html_to_text, summarize


def test_editor_formatting_survives():
    html = '<p style="text-align:center"><strong>加粗</strong> <a href="https://example.org/">链接</a></p>'
    cleaned = clean_html(html)
    assert "<strong>加粗</strong>" in cleaned
    assert 'href="https://example.org/"' in cleaned
    assert 'style="text-align:center"' in cleaned


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
        "<svg><script>alert(1)</script></svg>",
        '<svg onload="alert(1)"></svg>',
        '<iframe src="https://evil.example/"></iframe>',
        "<style>body{background:url(javascript:alert(1))}</style>",
        '<p style="background:url(javascript:alert(1))">x</p>',
        '<p onclick="alert(1)">x</p>',
        '<object data="x.swf"></object>',
        '<form action="https://evil.example/"><input name="q"></form>',
    ],
)
def test_nothing_that_can_run_survives(hostile):
    cleaned = clean_html(hostile).lower()
    for marker in ("<script", "onerror", "onload", "onclick", "javascript:", "data:", "<svg",
                   "<iframe", "<style", "background", "<object", "<form", "<input"):  # fmt: skip
        assert marker not in cleaned


def test_links_get_a_safe_rel():
    assert 'rel="noopener noreferrer"' in clean_html('<a href="https://example.org/">x</a>')


def test_empty_input_gives_empty_string():
    assert clean_html(None) == ""
    assert clean_html("") == ""


def test_html_to_text_keeps_paragraphs_and_drops_scripts():
    text = html_to_text("<p>第一段 &amp; 内容</p><script>alert(1)</script><p>第二段<br>换行</p>")
    assert text == "第一段 & 内容\n第二段\n换行"


def test_summarize_cuts_long_text_with_an_ellipsis():
    assert summarize("一" * 200, limit=10) == "一" * 9 + "…"
    assert summarize("短文本", limit=10) == "短文本"
