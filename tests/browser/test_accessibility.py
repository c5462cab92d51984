"""Every kind of public page has no axe-core violations (WCAG 2.1 A and AA) in chromium,
fits a 320 px wide phone, and shows where the keyboard focus is."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.site_pages import build_public_pages, expected_status

pytestmark = [
    pytest.mark.browser,
    pytest.mark.validators,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reseed"),
]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def test_public_pages_have_no_accessibility_violations(live_server, browser, settings):
    settings.LOOKUP_RATE_LIMIT = 1000
    urls = build_public_pages()
    axe = Axe()
    problems = []
    for width in (1280, 320):
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 800})
        page = context.new_page()
        for url in urls:
            response = page.goto(live_server.url + url)
            assert response.status == expected_status(url), url
            results = axe.run(page, options=WCAG_21_AA)
            for violation in results.response["violations"]:
                targets = [node["target"] for node in violation["nodes"]][:3]
                problems.append(f"{width}px {url}: {violation['id']} {targets}")
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 0:
                problems.append(f"{width}px {url}: scrolls sideways by {overflow}px")
        context.close()
    assert problems == []


def test_the_keyboard_focus_is_visible_and_skips_to_the_content(live_server, browser):
    build_public_pages()
    page = browser.new_page()
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => { const e = document.activeElement; const s = getComputedStyle(e);"
        " return [e.textContent.trim(), s.outlineStyle, s.outlineWidth]; }"
    )
    assert focused[0] == "跳到正文"
    assert focused[1] != "none" and focused[2] != "0px"
    page.keyboard.press("Enter")
    page.wait_for_url("**#main")
    page.close()
