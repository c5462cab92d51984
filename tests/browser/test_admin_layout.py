"""Every admin list and form fits an office laptop, a wide screen and a tablet: nothing scrolls
sideways, and no text input is narrower than eight characters."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from news.models import Article, Event
from tests.browser.conftest import resizer, sign_in
from tests.factories import UserFactory
from tests.news.factories import ArticleFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reseed"),
]

SEED_REPORT = (
    "<p>本网讯 7月30日，司法部在井冈山召开全国律师行业创先争优活动座谈会。司法部党组书记、"
    "部长吴爱英出席会议并讲话。司法部党组副书记、副部长赵大程主持会议。北京、上海、湖南等"
    "省市司法厅（局）、律师协会负责同志介绍了做法和经验。</p>"
)

# Problems on the page as a person sees it at `width`: sideways scrolling, and text inputs too
# narrow for eight characters (Chinese ones; digits for dates and times) in the input's own font.
MEASURE = """width => {
  const problems = [];
  if (innerWidth !== width) problems.push(`laid out at ${innerWidth}px`);
  const overflow = document.documentElement.scrollWidth - document.documentElement.clientWidth;
  if (overflow > 0) problems.push(`scrolls sideways by ${overflow}px`);
  const context = document.createElement('canvas').getContext('2d');
  const inputs = document.querySelectorAll(
    'input[type=text], input:not([type]), input[type=search], input[type=email], textarea');
  for (const input of inputs) {
    if (!input.offsetParent || input.closest('.ck, .empty-form, .select2-container')) continue;
    const style = getComputedStyle(input);
    context.font = `${style.fontSize} ${style.fontFamily}`;
    const digits = input.matches(
      '.vDateField, .vTimeField, .vForeignKeyRawIdAdminField, .vManyToManyRawIdAdminField');
    const character = context.measureText(digits ? '0' : '中').width;
    const inner = input.clientWidth - parseFloat(style.paddingLeft)
      - parseFloat(style.paddingRight);
    if (inner + 1 < 8 * character) {
      problems.push(`${input.name || input.id} is ${Math.round(inner)}px for 8 characters`);
    }
  }
  return problems;
}"""


def admin_pages(article, event, user):
    """The admin's pages `user` may open: each must answer 200.

    No add view where the admin allows no adding (logs, seeded rules): it answers 403.
    """
    request = RequestFactory().get(reverse("admin:index"))
    request.user = user
    pages = [reverse("admin:index"), reverse("admin:news_article_extract", args=[article.pk])]
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        for name in ("changelist", "add"):
            if name == "add" and not model_admin.has_add_permission(request):
                continue
            try:
                pages.append(reverse(f"admin:{info[0]}_{info[1]}_{name}"))
            except NoReverseMatch:
                continue
    pages += [
        reverse("admin:news_article_change", args=[article.pk]),
        reverse("admin:news_article_history", args=[article.pk]),
        reverse("admin:news_event_change", args=[event.pk]),
    ]
    return pages


WIDTHS = (1366, 1280, 1920, 768)  # office laptops, a wide screen and a tablet


def test_admin_pages_fit_the_screen_and_inputs_hold_eight_characters(live_server, browser):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    article = ArticleFactory(status=Article.Status.DRAFT, body=SEED_REPORT, title="座谈会" * 12)
    event = Event.objects.create(name="全国律师行业创先争优活动座谈会", date_as_written="7月30日")
    context = browser.new_context(locale="zh-CN", viewport={"width": WIDTHS[0], "height": 900})
    sign_in(context, live_server, "root")
    page = context.new_page()
    problems, visited = [], 0
    resize = resizer(page)
    for path in admin_pages(article, event, root):
        resize(WIDTHS[0], 900)
        response = page.goto(live_server.url + path)
        if response.status != 200:
            problems.append(f"{path}: answered {response.status}")
            continue
        visited += 1
        # One load, measured at each width: the layout follows the window at once.
        for width in WIDTHS:
            resize(width, 900)
            problems += [
                f"{width}px {path}: {problem}" for problem in page.evaluate(MEASURE, width)
            ]
    context.close()
    assert visited > 30
    assert problems == []
