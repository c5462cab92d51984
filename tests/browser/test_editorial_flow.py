"""The newsroom's day at 1366 px, in chromium: write, submit, return with a reason, fix,
resubmit, preview, publish, read, compare versions, restore content only."""

import re

import pytest
from django.contrib.auth.models import Group

from news.models import Article
from tests.browser.conftest import log_in, sign_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reseed"),
]

TITLE = "律师协会召开创先争优活动推进会"
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


def signed_in(browser, live_server, username, *, through_the_form=False):
    """A page at 1366 px on the admin's front page, signed in as `username`."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    # The pages and requests of scripts it made, for a failure to show (see `message`).
    page.exchanges = []

    def note(response):
        if response.request.resource_type in ("document", "fetch", "xhr"):
            page.exchanges.append(f"{response.request.method} {response.url} {response.status}")

    page.on("response", note)
    if through_the_form:
        log_in(page, live_server, username, PASSWORD)
    else:
        sign_in(context, live_server, username)
        page.goto(f"{live_server.url}/admin/")
    return page


def editor_ready(page):
    """Wait until the page's CKEditor has started: it is in window.editors once it has set up
    the copy of its text into the form field."""
    page.wait_for_function("() => Object.keys(window.editors || {}).length > 0")


def press(page, action):
    """Press a workflow button as a person does: once the page's editor has started (it
    writes the body back into the form on submit), then wait for the page it leads to."""
    editor_ready(page)
    with page.expect_navigation():
        page.click(f"button[name=_action][value={action}]")


def message(page):
    """The admin's message on the page an action led to; when there is none, a failure that
    says what the page showed instead (form errors, another page) rather than a timeout."""
    messages = page.locator(".messagelist")
    if messages.count():
        return messages.inner_text()
    errors = page.locator(".errornote, .errorlist").all_inner_texts()
    shown = errors or [page.locator("body").inner_text()[:500]]
    asked = getattr(page, "exchanges", [])[-8:]
    raise AssertionError(f"no message on {page.url} ({page.title()}): {shown}; asked: {asked}")


def test_an_article_goes_from_editor_to_reader_through_review(live_server, browser):
    for name, group in (("editor", "编辑"), ("reviewer", "审核")):
        UserFactory(username=name, is_staff=True).groups.add(Group.objects.get(name=group))
    url = live_server.url
    editable = ".ck-editor__editable"

    # The editor signs in through the form, writes in CKEditor (a hostile paste among it) and
    # submits for review.
    editor = signed_in(browser, live_server, "editor", through_the_form=True)
    editor.goto(f"{url}/admin/news/article/add/")
    assert editor.locator("button[name=_action][value=publish]").count() == 0
    editor.fill("#id_title", TITLE)
    editor.select_option("#id_column", label="协会动态")
    editor.select_option("#id_source", label="本站原创")
    editor_ready(editor)
    editor.click(editable)
    paste_html(editor, editable, HOSTILE_PASTE)
    editor.keyboard.press("Control+End")
    editor.keyboard.press("Enter")
    editor.keyboard.type("会议在井冈山召开。")
    press(editor, "submit")
    assert "已提交审核" in message(editor)
    article = Article.objects.get()
    assert article.status == Article.Status.IN_REVIEW and "onerror" not in article.body

    # The reviewer finds it waiting and returns it with a reason.
    reviewer = signed_in(browser, live_server, "reviewer")
    queue = reviewer.locator("#desk-review")
    assert TITLE in queue.inner_text() and "editor" in queue.inner_text()
    queue.get_by_text(TITLE).click()
    reviewer.click(".return-form summary")
    reviewer.fill("#id__return_reason", "请写明会议日期。")
    press(reviewer, "return")
    assert "已退回" in message(reviewer)

    # The editor sees the reason on the desk and in the form, fixes it and resubmits.
    editor.goto(f"{url}/admin/")
    mine = editor.locator("#desk-mine")
    assert "请写明会议日期。" in mine.inner_text()
    mine.get_by_text(TITLE).click()
    assert "请写明会议日期。" in editor.locator(".return-reason-note").inner_text()
    editor.click(editable)
    editor.keyboard.press("Control+End")
    editor.keyboard.press("Enter")
    editor.keyboard.type("会议于7月30日举行。")
    press(editor, "submit")

    # The reviewer previews it as readers will see it, then publishes.
    reviewer.goto(f"{url}/admin/")
    preview = reviewer.locator("#desk-review a", has_text="预览").get_attribute("href")
    reviewer.goto(url + preview)
    assert "预览" in reviewer.locator(".message.preview").inner_text()
    assert "会议于7月30日举行。" in reviewer.locator(".body").inner_text()
    untouched = Article.objects.get().body
    reviewer.goto(f"{url}/admin/news/article/{article.pk}/change/")
    press(reviewer, "publish")
    assert "已发布" in message(reviewer)
    # Through CKEditor and back without a keystroke: the same bytes.
    assert Article.objects.get().body == untouched

    # Readers find it on the home page, in its column, in the feed and in search.
    reader = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
    for address in ("/", "/columns/association-news/", "/search/?q=推进会"):
        reader.goto(url + address)
        assert TITLE in reader.locator("main").inner_text(), address
    assert TITLE in reader.goto(f"{url}/feeds/rss/").text()
    reader.goto(f"{url}/")
    reader.get_by_text(TITLE).first.click()
    reader.wait_for_url(re.compile(r".*/news/\d{4}/\d{2}/\d{2}/\d+/$"))
    assert "粘贴的内容" in reader.locator(".body").inner_text()
    assert reader.evaluate("window.pwned === undefined")

    # History shows what the editor added, as text; pinned, then an old version restored:
    # its content comes back, the article stays published and pinned.
    reviewer.goto(f"{url}/admin/news/article/{article.pk}/change/")
    press(reviewer, "pin")
    reviewer.goto(f"{url}/admin/news/article/{article.pk}/history/")
    assert "会议于7月30日举行。" in reviewer.locator(".body-diff ins").all_inner_texts()
    history = reviewer.locator(".versions").inner_text()
    assert "待审 → 已发布" in history and "否 → 是" in history and "in_review" not in history
    reviewer.locator(".version a", has_text="查看此版本").last.click()
    reviewer.click("text=恢复此版本的内容")
    article.refresh_from_db()
    assert (article.status, article.is_pinned) == (Article.Status.PUBLISHED, True)
    assert "会议于7月30日举行。" not in article.body
    for page in (editor, reviewer, reader):
        page.context.close()
