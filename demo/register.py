"""Demo people, organisations, law firms and lawyers, in bulk (``manage.py generate_demo_data``).

Every value comes from the ``random.Random`` passed in, so a seed gives the same register on
every run. Rows are added with ``bulk_create`` in batches, one transaction per batch: no
signals and no history records (django-simple-history writes those on ``save()`` only), which
is fine for generated data. Names that must be unique (firm names, credit codes, licence
numbers) skip the values the database already holds, so a second run adds to the first.
"""

import datetime
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from django.db import transaction

from members.credentials import CREDIT_CODE_ALPHABET, credit_code_check_character
from members.models import LawFirm, Lawyer, Organization, Person

Progress = Callable[[int, int], None] | None

# Common surnames, most frequent first; the weights follow their rank.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤欧阳"
)
SURNAME_WEIGHTS = tuple(1 / (rank + 8) for rank in range(len(SURNAMES)))
GIVEN_NAME_CHARACTERS = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉文斌辉鹏飞波宇浩凯晨欣怡婷"
    "雪琳颖慧佳俊峰亮毅彬晓东海林森嘉睿哲思远博涵子轩雨萱梓铭昊天泽宁安然诗琪瑶璐蕾薇琦倩"
    "立新振华春梅德胜永庆卫民光荣若曦一鸣晋秋菊冬梅向阳正清益民中和世杰家豪敬之维汉"
)

# The city's districts with their administrative division codes (positions 3-8 of a credit
# code). The same districts appear in the articles (demo.text).
DISTRICTS = (
    ("福田区", "440304"), ("罗湖区", "440303"), ("南山区", "440305"), ("宝安区", "440306"),
    ("龙岗区", "440307"), ("盐田区", "440308"), ("龙华区", "440309"), ("坪山区", "440310"),
    ("光明区", "440311"),
)  # fmt: skip
# Area code of the city's licences (positions 2-5 of a lawyer's licence number).
LICENSE_AREA = "4403"

# Bodies that speak at the association's meetings, with their kinds.
BODIES = (
    ("司法部", Organization.Kind.JUSTICE_BUREAU),
    ("省司法厅", Organization.Kind.JUSTICE_BUREAU),
    ("市司法局", Organization.Kind.JUSTICE_BUREAU),
    *((f"{name}司法局", Organization.Kind.JUSTICE_BUREAU) for name, _ in DISTRICTS),
    ("中华全国律师协会", Organization.Kind.BAR_ASSOCIATION),
    ("省律师协会", Organization.Kind.BAR_ASSOCIATION),
    ("市律师协会", Organization.Kind.BAR_ASSOCIATION),
    ("市中级人民法院", Organization.Kind.GOVERNMENT),
    ("市人民检察院", Organization.Kind.GOVERNMENT),
    ("市公安局", Organization.Kind.GOVERNMENT),
    ("市委政法委", Organization.Kind.GOVERNMENT),
    ("市法律援助处", Organization.Kind.GOVERNMENT),
)
# Share of the people (not lawyers) who work in one of those bodies: they preside and speak.
OFFICIAL_SHARE = 0.05

BRAND_CHARACTERS = (
    "信达华商金杜君合中伦德恒盈科大成国浩天元正和诚明方圆卓建汇鼎泰瑞丰睿博联海嘉星辰广"
    "深鹏城前湾南北东西京港粤越新远通融泽润宏昌盛兴隆康宁安平致尚品智勤韬略法度衡铭谦"
)
FIRM_PREFIXES = ("", "", "", "广东", "广东", "北京市", "上海市")
STREETS = ("深南大道", "福华三路", "益田路", "金田路", "滨河大道", "科苑南路", "海德三道",
           "宝安大道", "龙岗大道", "人民南路", "红荔路", "彩田路", "福中三路", "新洲路",
           "华强北路", "后海大道", "沙河西路", "民治大道", "梅林路", "侨香路")  # fmt: skip
BUILDINGS = ("国际商会大厦", "卓越时代广场", "招商银行大厦", "金融中心", "大中华国际交易广场",
             "平安金融中心", "荣超商务中心", "华润大厦", "汉国城市商业中心", "嘉里建设广场",
             "中洲大厦", "太平金融大厦", "投资大厦", "科技大厦", "星河发展中心")  # fmt: skip
PRACTICE_AREAS = ("刑事", "民商事", "婚姻家庭", "劳动争议", "公司", "知识产权", "建设工程",
                  "房地产", "金融证券", "破产重整", "涉外", "行政", "税务", "海商海事",
                  "数据合规", "医疗纠纷", "交通事故", "国际仲裁")  # fmt: skip
# Licence categories (position 10): 专职 mostly, then 公职, 公司, 兼职.
LICENSE_CATEGORIES = ("1", "6", "7", "2")
LICENSE_CATEGORY_WEIGHTS = (88, 5, 4, 3)


@dataclass
class Register:
    """What this module created, for the news and party-building generators."""

    bodies: dict[str, Organization]
    people: list[Person]
    # People who work in one of the bodies, with its name: officials who preside and speak.
    officials: list[tuple[Person, str]]
    firms: list[LawFirm]
    lawyers: list[Lawyer]


def batches(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def person_name(rng: random.Random) -> str:
    surname = (
        rng.choices(SURNAMES[:-2], SURNAME_WEIGHTS[:-2])[0] if rng.random() > 0.003 else "欧阳"
    )
    length = 1 if rng.random() < 0.3 else 2
    return surname + "".join(
        GIVEN_NAME_CHARACTERS[int(rng.random() * len(GIVEN_NAME_CHARACTERS))] for _ in range(length)
    )


def random_day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def create_bodies() -> dict[str, Organization]:
    """The government bodies and associations named in meetings (taken if already there)."""
    bodies = {}
    for name, kind in BODIES:
        bodies[name] = Organization.objects.filter(name=name, kind=kind).order_by("pk").first()
        if bodies[name] is None:
            bodies[name] = Organization.objects.create(name=name, kind=kind)
    return bodies


def create_people(
    rng: random.Random,
    count: int,
    bodies: dict[str, Organization],
    *,
    batch_size: int,
    progress: Progress = None,
) -> tuple[list[Person], list[tuple[Person, str]]]:
    """People who are not lawyers; a few work in one of ``bodies`` (noted on the person)."""
    body_names = list(bodies)
    planned, offices = [], []
    for _ in range(count):
        office = rng.choice(body_names) if rng.random() < OFFICIAL_SHARE else ""
        planned.append(Person(name=person_name(rng), note=office))
        offices.append(office)
    people = _insert(Person, planned, batch_size, progress)
    officials = [(person, office) for person, office in zip(people, offices, strict=True) if office]
    return people, officials


def credit_code(rng: random.Random, division: str) -> str:
    """A well-formed law-firm 统一社会信用代码 in ``division`` (not a real firm's)."""
    body = "".join(
        CREDIT_CODE_ALPHABET[int(rng.random() * (10 if i < 3 else len(CREDIT_CODE_ALPHABET)))]
        for i in range(9)
    )
    first17 = f"31{division}{body}"
    return first17 + credit_code_check_character(first17)


def create_firms(
    rng: random.Random,
    count: int,
    *,
    until: datetime.date,
    batch_size: int,
    progress: Progress = None,
) -> list[LawFirm]:
    """Law firms, each with its Organization (as meetings name it) and a valid credit code."""
    names = set(LawFirm.objects.values_list("name", flat=True))
    codes = set(LawFirm.objects.values_list("credit_code", flat=True))
    organizations, firms = [], []
    for _ in range(count):
        name = _unique(names, lambda: _firm_name(rng))
        district, division = rng.choice(DISTRICTS)
        code = _unique(codes, lambda division=division: credit_code(rng, division))
        founded = random_day(rng, datetime.date(1988, 1, 1), until - datetime.timedelta(days=60))
        status = rng.choices(list(LawFirm.Status), (95, 3, 2))[0]
        organizations.append(Organization(name=name, kind=Organization.Kind.LAW_FIRM))
        firms.append(
            LawFirm(
                name=name,
                credit_code=code,
                license_number=f"2{LICENSE_AREA}{founded.year}1{rng.randrange(10**6):06d}",
                address=f"{district}{rng.choice(STREETS)}{rng.randint(1, 9999)}号"
                f"{rng.choice(BUILDINGS)}{rng.randint(2, 60)}层",
                phone=f"0755-8{rng.randrange(10**7):07d}",
                founded=founded,
                practice_status=status,
            )
        )
    done = 0
    created = []
    for organization_batch, firm_batch in zip(
        batches(organizations, batch_size), batches(firms, batch_size), strict=True
    ):
        with transaction.atomic():
            Organization.objects.bulk_create(organization_batch)
            for organization, firm in zip(organization_batch, firm_batch, strict=True):
                firm.organization = organization
            created += LawFirm.objects.bulk_create(firm_batch)
        done += len(firm_batch)
        if progress:
            progress(done, count)
    return created


def _firm_name(rng: random.Random) -> str:
    brand = "".join(rng.sample(BRAND_CHARACTERS, 3 if rng.random() < 0.1 else 2))
    prefix = rng.choice(FIRM_PREFIXES)
    suffix = "（深圳）" if prefix in ("北京市", "上海市") else ""
    return f"{prefix}{brand}{suffix}律师事务所"


def _unique(taken: set, make: Callable[[], str]) -> str:
    value = make()
    while value in taken:
        value = make()
    taken.add(value)
    return value


def create_lawyers(
    rng: random.Random,
    count: int,
    firms: list[LawFirm],
    *,
    until: datetime.date,
    batch_size: int,
    progress: Progress = None,
) -> list[Lawyer]:
    """Lawyers with valid licence numbers, spread over the firms as unevenly as in life."""
    numbers = set(Lawyer.objects.values_list("license_number", flat=True))
    # A few large firms, many small ones: Pareto-distributed sizes.
    weights = [rng.paretovariate(1.1) for _ in firms]
    cumulative = []
    total = 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    people, lawyers = [], []
    for _ in range(count):
        firm = rng.choices(firms, cum_weights=cumulative)[0] if firms else None
        earliest = max(1986, firm.founded.year if firm and firm.founded else 1986)
        year = rng.randint(earliest, until.year)
        category = rng.choices(LICENSE_CATEGORIES, LICENSE_CATEGORY_WEIGHTS)[0]
        number = _unique(
            numbers,
            lambda year=year, category=category: (
                f"1{LICENSE_AREA}{year}{category}{rng.randrange(10**7):07d}"
            ),
        )
        status = rng.choices(list(Lawyer.Status), (93, 4, 3))[0]
        if status == Lawyer.Status.CANCELLED or (
            firm is not None and firm.practice_status == LawFirm.Status.DISSOLVED
        ):
            firm = None
        people.append(Person(name=person_name(rng), note=firm.name if firm else ""))
        lawyers.append(
            Lawyer(
                license_number=number,
                firm=firm,
                practice_status=status,
                first_licensed_year=year,
                gender=rng.choice(list(Lawyer.Gender)),
                practice_areas="、".join(rng.sample(PRACTICE_AREAS, rng.randint(1, 3))),
                phone=f"1{rng.choice('35789')}{rng.randrange(10**9):09d}",
                address=f"{rng.choice(DISTRICTS)[0]}{rng.choice(STREETS)}"
                f"{rng.randint(1, 300)}号{rng.randint(1, 30)}栋",
            )
        )
    done = 0
    created = []
    for person_batch, lawyer_batch in zip(
        batches(people, batch_size), batches(lawyers, batch_size), strict=True
    ):
        with transaction.atomic():
            Person.objects.bulk_create(person_batch)
            for person, lawyer in zip(person_batch, lawyer_batch, strict=True):
                lawyer.person = person
            created += Lawyer.objects.bulk_create(lawyer_batch)
        done += len(lawyer_batch)
        if progress:
            progress(done, count)
    return created


def _insert(model, rows: list, batch_size: int, progress: Progress) -> list:
    created = []
    for batch in batches(rows, batch_size):
        with transaction.atomic():
            created += model.objects.bulk_create(batch)
        if progress:
            progress(len(created), len(rows))
    return created
