"""Rich text in one spelling: the same content saved twice is the same bytes."""

import pytest

from core.sanitize import clean_html


def test_attributes_are_written_in_one_order():
    assert clean_html('<a title="t" href="https://example.org/">x</a>') == clean_html(
        '<a href="https://example.org/" title="t">x</a>'
    )


def test_empty_inline_elements_are_dropped():
    assert clean_html("<p>第一段<span></span><strong> </strong></p>") == "<p>第一段</p>"


def test_line_breaks_between_blocks_are_dropped():
    assert clean_html("<p>一</p>\n\n<ul>\n  <li>二</li>\n</ul>") == "<p>一</p><ul><li>二</li></ul>"


def test_preformatted_text_keeps_its_spaces():
    assert clean_html("<pre>  a\n  b</pre>") == "<pre>  a\n  b</pre>"


@pytest.mark.parametrize(
    "html",
    [
        '<p style="text-align:center">居中 &amp; 加粗<br>换行</p>',
        '<figure class="image"><img alt="a &amp; b" src="/media/a.png"><figcaption>图</figcaption>'
        "</figure>",
        "<table><tbody><tr><td>甲</td><td>乙</td></tr></tbody></table>",
        "<p>a<b>b<i>c</b>d</p>",
    ],
)
def test_cleaning_twice_changes_nothing(html):
    once = clean_html(html)
    assert clean_html(once) == once


def test_a_table_is_written_inside_a_figure_as_the_editor_writes_it():
    table = "<table><tbody><tr><td>甲</td></tr></tbody></table>"
    assert clean_html(table) == f'<figure class="table">{table}</figure>'
    assert clean_html(clean_html(table)) == clean_html(table)
