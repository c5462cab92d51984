import re

import pytest
from django.contrib.auth.models import Group

from news.models import Article, Source
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reseed"),
]

HOSTILE_PASTE = '<p>粘贴的内容<img src="x" onerror="window.pwned=1"></p>'


def paste_html(page, selector, html):
    """Paste HTML into the editor as a browser does when the clipboard holds HTML."""
    page.eval_on_selector(
        selector,
        """(element, html) => {
            const data = new DataTransfer();
            data.setData('text/html', html);
            data.setData('text/plain', html);
            const options = {clipboardData: data, bubbles: true, cancelable: true};
            element.dispatchEvent(new ClipboardEvent('paste', options));
        }""",
        html,
    )


def test_editor_writes_reviewer_publishes_reader_finds_it(live_server, new_page):
    editor = UserFactory(username="editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="编辑"))
    reviewer = UserFactory(username="reviewer", is_staff=True)
    reviewer.groups.add(Group.objects.get(name="审核"))
    source = Source.objects.create(name="司法部网站")

    # The editor writes the article in CKEditor 5 and submits it for review.
    page = new_page()
    log_in(page, live_server, "editor", PASSWORD)
    page.goto(f"{live_server.url}/admin/news/article/add/")
    page.fill("#id_title", "律师协会召开创先争优活动推进会")
    page.select_option("#id_column", label="协会动态")
    page.select_option("#id_source", label="司法部网站")
    editable = ".ck-editor__editable"
    page.click(editable)
    paste_html(page, editable, HOSTILE_PASTE)
    page.wait_for_function(
        "document.querySelector('.ck-editor__editable').innerText.includes('粘贴的内容')"
    )
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("加粗的文字")
    page.keyboard.press("Shift+Home")
    page.keyboard.press("Control+B")
    assert page.locator("#id_status option[value=published]").count() == 0
    page.select_option("#id_status", "in_review")
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r".*/admin/news/article/$"))
    article = Article.objects.get()
    assert article.status == Article.Status.IN_REVIEW
    assert "<strong>加粗的文字</strong>" in article.body
    assert "onerror" not in article.body

    # The reviewer publishes it.
    page = new_page()
    log_in(page, live_server, "reviewer", PASSWORD)
    page.goto(f"{live_server.url}/admin/news/article/{article.pk}/change/")
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r".*/admin/news/article/$"))
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED

    # An anonymous reader filters the list by its source and opens it.
    page = new_page()
    page.goto(f"{live_server.url}/news/")
    page.select_option("#id_source", str(source.pk))
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(rf".*source={source.pk}.*"))
    page.click("text=律师协会召开创先争优活动推进会")
    page.wait_for_url(re.compile(r".*/news/\d{4}/\d{2}/\d{2}/\d+/$"))
    assert page.locator(".body strong").inner_text() == "加粗的文字"
    assert "粘贴的内容" in page.locator(".body").inner_text()
    assert "onerror" not in page.content()
    assert page.evaluate("window.pwned === undefined")
    assert "信息来源：司法部网站" in page.locator(".byline").inner_text().replace(" ", "")
