"""Every kind of public page has no axe-core violations (WCAG 2.1 A and AA) in chromium,
fits a 320 px wide phone, and shows where the keyboard focus is."""

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from tests.browser.conftest import resizer
from tests.site_pages import build_public_pages, expected_status

pytestmark = [
    pytest.mark.browser,
    pytest.mark.validators,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reseed"),
]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
# axe-core runs at each width; only the violations come back, with how far the page then
# scrolls sideways and the width it is laid out at.
RUN_AXE = """options => axe.run(document, options).then(results => [
  results.violations,
  document.documentElement.scrollWidth - document.documentElement.clientWidth,
  innerWidth,
])"""
WIDTHS = (1280, 320)


def test_public_pages_have_no_accessibility_violations(live_server, browser, settings):
    settings.LOOKUP_RATE_LIMIT = 1000
    urls = build_public_pages()
    problems = []
    context = browser.new_context(locale="zh-CN", viewport={"width": WIDTHS[0], "height": 800})
    # axe-core is put into every page the context loads, by the browser before the page's own
    # scripts (sending its 570 kB to each page after loading it cost 0.2 s a page).
    context.add_init_script(AXE_SCRIPT)
    page = context.new_page()
    resize = resizer(page)
    for url in urls:
        resize(WIDTHS[0], 800)
        response = page.goto(live_server.url + url)
        assert response.status == expected_status(url), url
        # One load, checked at each width: the layout follows the window at once.
        for width in WIDTHS:
            resize(width, 800)
            violations, overflow, laid_out_at = page.evaluate(RUN_AXE, WCAG_21_AA)
            if laid_out_at != width:
                problems.append(f"{width}px {url}: laid out at {laid_out_at}px")
            for violation in violations:
                targets = [node["target"] for node in violation["nodes"]][:3]
                problems.append(f"{width}px {url}: {violation['id']} {targets}")
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
