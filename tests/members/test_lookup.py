import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import LawFirm, Lawyer
from members.throttling import client_key
from tests.members.factories import LawFirmFactory, LawyerFactory, credit_code, license_number

pytestmark = pytest.mark.django_db

LAWYERS = reverse("members:lawyer-lookup")
FIRMS = reverse("members:firm-lookup")
THROTTLED = "查询次数过多"


def page(client, url, params=None):
    response = client.get(url, params)
    assert response.status_code == 200
    return response


# 律师查询 ------------------------------------------------------------------------------


def test_the_empty_lawyer_lookup_shows_the_form_and_no_one(client):
    LawyerFactory(person__name="张三")
    response = page(client, LAWYERS)
    html = response.content.decode()
    assert '<label for="id_name">' in html
    assert "张三" not in html
    assert list(response.context["object_list"]) == []


def test_a_lookup_with_every_field_empty_lists_no_one_and_says_why(client):
    LawyerFactory(person__name="张三")
    html = page(client, LAWYERS, {"name": "", "license_number": ""}).content.decode()
    assert "张三" not in html
    assert "请输入姓名或执业证号" in html


def test_a_lawyer_is_found_by_name_with_firm_licence_number_status_and_year(client):
    LawyerFactory(
        person__name="张三",
        firm__name="湖南天地人律师事务所",
        license_number=license_number(1, year=2008),
        first_licensed_year=2008,
    )
    html = page(client, LAWYERS, {"name": "张三"}).content.decode()
    for shown in ("张三", "湖南天地人律师事务所", license_number(1, year=2008), "正常执业", "2008"):
        assert shown in html


def test_a_lawyer_is_found_by_licence_number(client):
    LawyerFactory(person__name="张三", license_number=license_number(1))
    LawyerFactory(person__name="李四")
    response = page(client, LAWYERS, {"license_number": license_number(1)})
    assert [lawyer.person.name for lawyer in response.context["object_list"]] == ["张三"]


def test_a_suspended_lawyer_is_shown_as_suspended(client):
    LawyerFactory(person__name="张三", practice_status=Lawyer.Status.SUSPENDED)
    assert "停止执业" in page(client, LAWYERS, {"name": "张三"}).content.decode()


def test_lawyers_sharing_a_name_are_all_listed_each_with_their_firm(client):
    LawyerFactory(person__name="张伟", firm__name="北京大成律师事务所")
    LawyerFactory(person__name="张伟", firm__name="湖南天地人律师事务所")
    html = page(client, LAWYERS, {"name": "张伟"}).content.decode()
    assert "北京大成律师事务所" in html and "湖南天地人律师事务所" in html


def test_the_firm_narrows_lawyers_sharing_a_name(client):
    LawyerFactory(person__name="张伟", firm__name="北京大成律师事务所")
    LawyerFactory(person__name="张伟", firm__name="湖南天地人律师事务所")
    html = page(client, LAWYERS, {"name": "张伟", "firm": "天地人"}).content.decode()
    assert "湖南天地人律师事务所" in html
    assert "北京大成律师事务所" not in html


def test_the_lawyer_lookup_never_shows_phone_numbers_or_addresses(client):
    firm = LawFirmFactory()
    lawyers = LawyerFactory.create_batch(3, person__name="张伟", firm=firm)
    html = page(client, LAWYERS, {"name": "张伟"}).content.decode()
    assert html.count(firm.name) == 3
    for lawyer in lawyers:
        assert lawyer.phone not in html
        assert lawyer.address not in html


def test_the_lawyer_lookup_lists_one_page_of_20_at_most(client):
    LawyerFactory.create_batch(25, person__name="张伟")
    response = page(client, LAWYERS, {"name": "张伟"})
    assert len(response.context["object_list"]) == 20
    assert response.context["paginator"].count == 25
    assert "name=%E5%BC%A0%E4%BC%9F&amp;page=2" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"name": "张" * 51}, "不超过 50 字符"),
        ({"name": "张\x07三"}, "不可见的控制字符"),
        ({"name": "张\u202e三"}, "不可见的控制字符"),
        ({"license_number": "12345"}, "执业证号应为17位数字，当前为5位。"),
        ({"license_number": "1" * 200}, "不超过 40 字符"),
        ({"name": "张三", "firm": "天"}, "至少包含 2 字符"),
    ],
)
def test_malformed_lawyer_queries_get_a_message_never_an_error(client, params, message):
    LawyerFactory(person__name="张三")
    html = page(client, LAWYERS, params).content.decode()
    assert message in html
    assert 'role="alert"' in html


def test_a_nul_character_in_a_lookup_is_refused_with_a_chinese_message(client):
    # Refused before the lookup by core.inputs: no database can compare it.
    response = client.get(LAWYERS, {"name": "张\x00三"})
    assert response.status_code == 400
    assert "无效字符" in response.content.decode()


@pytest.mark.parametrize("page_number", ["abc", "999", "-1"])
def test_a_page_that_does_not_exist_answers_404(client, page_number):
    LawyerFactory(person__name="张三")
    response = client.get(LAWYERS, {"name": "张三", "page": page_number})
    assert response.status_code == 404


# 律所查询 ------------------------------------------------------------------------------


def test_the_empty_firm_lookup_shows_the_form_and_no_firm(client):
    LawFirmFactory(name="湖南天地人律师事务所")
    assert "湖南天地人律师事务所" not in page(client, FIRMS).content.decode()


def test_a_firm_is_found_by_part_of_its_name_with_its_status(client):
    firm = LawFirmFactory(name="湖南天地人律师事务所", practice_status=LawFirm.Status.SUSPENDED)
    LawFirmFactory(name="北京大成律师事务所")
    response = page(client, FIRMS, {"name": "天地人"})
    assert list(response.context["object_list"]) == [firm]
    assert "停业整顿" in response.content.decode()
    assert firm.get_absolute_url() in response.content.decode()


def test_a_firm_is_found_by_its_credit_code(client):
    firm = LawFirmFactory(credit_code=credit_code(42))
    LawFirmFactory()
    response = page(client, FIRMS, {"credit_code": credit_code(42).lower()})
    assert list(response.context["object_list"]) == [firm]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"name": "天"}, "至少包含 2 字符"),
        ({"credit_code": "31440300MD01234565"}, "统一社会信用代码校验码错误"),
        ({"credit_code": "91110000600037341L"}, "律师事务所的统一社会信用代码应以“31”开头"),
        ({"name": "天地\x1b人"}, "不可见的控制字符"),
        ({"name": ""}, "请输入律所名称的一部分或统一社会信用代码"),
    ],
)
def test_malformed_firm_queries_get_a_message_never_an_error(client, params, message):
    assert message in page(client, FIRMS, params).content.decode()


def test_the_firm_page_lists_its_practising_lawyers_and_none_of_their_private_fields(client):
    firm = LawFirmFactory(name="湖南天地人律师事务所")
    practising = LawyerFactory.create_batch(3, firm=firm)
    cancelled = LawyerFactory(firm=firm, practice_status=Lawyer.Status.CANCELLED)
    html = page(client, firm.get_absolute_url()).content.decode()
    assert "<h1>湖南天地人律师事务所</h1>" in html
    for lawyer in practising:
        assert lawyer.person.name in html
        assert lawyer.license_number in html
        assert lawyer.phone not in html
        assert lawyer.address not in html
    assert cancelled.license_number not in html


def test_the_firm_page_lists_one_page_of_20_lawyers_at_most(client):
    firm = LawFirmFactory()
    LawyerFactory.create_batch(21, firm=firm)
    response = page(client, firm.get_absolute_url())
    assert len(response.context["object_list"]) == 20


def test_an_unknown_firm_answers_404(client):
    assert client.get(reverse("members:firm", kwargs={"pk": 999})).status_code == 404


# Accessibility -------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LAWYERS, FIRMS])
def test_lookup_pages_have_a_language_one_h1_and_a_label_for_every_field(client, url):
    response = page(client, url, {"name": "张三"})
    html = response.content.decode()
    assert '<html lang="zh-Hans">' in html
    assert html.count("<h1>") == 1
    for field in response.context["form"]:
        assert f'<label for="{field.auto_id}">' in html


# Throttling ----------------------------------------------------------------------------


def test_the_lookup_answers_429_with_a_chinese_message_past_the_limit(client, settings):
    settings.LOOKUP_RATE_LIMIT = 3
    for _ in range(3):
        assert client.get(LAWYERS, {"name": "张三"}).status_code == 200
    response = client.get(LAWYERS, {"name": "张三"})
    assert response.status_code == 429
    assert THROTTLED in response.content.decode()
    assert 0 < int(response["Retry-After"]) <= 600


def test_the_limit_is_shared_by_both_lookups_and_the_firm_pages(client, settings):
    settings.LOOKUP_RATE_LIMIT = 3
    firm = LawFirmFactory()
    assert client.get(FIRMS, {"name": "律师"}).status_code == 200
    assert client.get(firm.get_absolute_url()).status_code == 200
    assert client.get(LAWYERS, {"name": "张三"}).status_code == 200
    assert client.get(firm.get_absolute_url()).status_code == 429


def test_opening_the_empty_form_does_not_count(client, settings):
    settings.LOOKUP_RATE_LIMIT = 1
    for _ in range(3):
        assert client.get(LAWYERS).status_code == 200
    assert client.get(LAWYERS, {"name": "张三"}).status_code == 200


def test_each_client_address_has_its_own_count(client, settings):
    settings.LOOKUP_RATE_LIMIT = 1
    assert client.get(LAWYERS, {"name": "张三"}, REMOTE_ADDR="203.0.113.1").status_code == 200
    assert client.get(LAWYERS, {"name": "张三"}, REMOTE_ADDR="203.0.113.1").status_code == 429
    assert client.get(LAWYERS, {"name": "张三"}, REMOTE_ADDR="203.0.113.2").status_code == 200


def test_a_forwarded_address_from_an_untrusted_client_is_ignored(client, settings):
    settings.LOOKUP_RATE_LIMIT = 1
    assert client.get(LAWYERS, {"name": "张三"}, HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 200
    response = client.get(LAWYERS, {"name": "张三"}, HTTP_X_FORWARDED_FOR="2.2.2.2")
    assert response.status_code == 429


def test_the_address_a_trusted_proxy_adds_is_the_client(client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.LOOKUP_RATE_LIMIT = 1
    forwarded = "6.6.6.6, 203.0.113.9"
    assert client.get(LAWYERS, {"name": "张三"}, HTTP_X_FORWARDED_FOR=forwarded).status_code == 200
    # The client changed what it wrote itself; the address the proxy added is the same.
    again = client.get(LAWYERS, {"name": "张三"}, HTTP_X_FORWARDED_FOR="7.7.7.7, 203.0.113.9")
    assert again.status_code == 429
    other = client.get(LAWYERS, {"name": "张三"}, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.10")
    assert other.status_code == 200


def test_an_ipv6_client_is_counted_by_its_64_network(client, rf, settings):
    settings.LOOKUP_RATE_LIMIT = 1
    one = rf.get("/", REMOTE_ADDR="2001:db8:1:2::1")
    other = rf.get("/", REMOTE_ADDR="2001:db8:1:2:ffff::9")
    assert client_key(None, one) == client_key(None, other) == "2001:db8:1:2::"
    assert client.get(LAWYERS, {"name": "张三"}, REMOTE_ADDR="2001:db8:1:2::1").status_code == 200
    nearby = client.get(LAWYERS, {"name": "张三"}, REMOTE_ADDR="2001:db8:1:2:ffff::9")
    assert nearby.status_code == 429
    elsewhere = client.get(LAWYERS, {"name": "张三"}, REMOTE_ADDR="2001:db8:1:3::1")
    assert elsewhere.status_code == 200


# Queries -------------------------------------------------------------------------------


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params).status_code == 200
    return len(context)


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (LAWYERS, {"name": "张伟"}),
        (LAWYERS, {"name": "张伟", "firm": "律师"}),
        (FIRMS, {"name": "律师"}),
    ],
)
def test_lookups_run_the_same_number_of_queries_for_5_and_50_lawyers(client, url, params):
    LawyerFactory.create_batch(5, person__name="张伟")
    few = count_queries(client, url, params)
    LawyerFactory.create_batch(45, person__name="张伟")
    assert count_queries(client, url, params) == few


def test_the_firm_page_runs_the_same_number_of_queries_for_5_and_50_lawyers(client):
    firm = LawFirmFactory()
    LawyerFactory.create_batch(5, firm=firm)
    few = count_queries(client, firm.get_absolute_url())
    LawyerFactory.create_batch(45, firm=firm)
    assert count_queries(client, firm.get_absolute_url()) == few


def test_a_name_typed_with_a_space_between_its_characters_is_found(client):
    LawyerFactory(person__name="王伟")
    response = page(client, LAWYERS, {"name": "王　伟"})
    assert [lawyer.person.name for lawyer in response.context["object_list"]] == ["王伟"]
