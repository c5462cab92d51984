from datetime import date
from pathlib import Path

import pytest

from news.extraction import (
    Extraction,
    PartialDate,
    extract,
    split_enumeration,
    split_post_and_name,
)
from tests.news.extraction_passages import PASSAGES, Passage

# The seed article in the legacy plain-text format: headline, byline, two subtitle lines,
# then the body from 本网讯 on.
SEED = (
    Path(__file__).resolve().parents[2] / "demo" / "articles" / "000_jinggangshan_speech.txt"
).read_text(encoding="utf-8")
SEED_BODY = SEED[SEED.index("本网讯") :]

MEETINGS = [passage for passage in PASSAGES if passage.reports_a_meeting]
NOT_MEETINGS = [passage for passage in PASSAGES if not passage.reports_a_meeting]


@pytest.fixture(scope="module")
def seed() -> Extraction:
    return extract(SEED_BODY, published_on=date(2014, 5, 13))


def people(extraction: Extraction, role: str) -> list[tuple[str, str]]:
    return [
        (p.name, p.post) for p in extraction.participants if p.role == role and p.kind == "person"
    ]


def organizations(extraction: Extraction, role: str) -> list[str]:
    return [p.name for p in extraction.participants if p.role == role and p.kind == "organization"]


# --- split_post_and_name -----------------------------------------------------------------


def test_post_and_name_are_split_after_the_last_title():
    assert split_post_and_name("司法部党组书记、部长吴爱英") == ("司法部党组书记、部长", "吴爱英")


def test_a_bare_name_has_an_empty_post():
    assert split_post_and_name("郝赤勇") == ("", "郝赤勇")


def test_double_surnames_give_names_of_three_or_four_characters():
    assert split_post_and_name("高级合伙人欧阳明远") == ("高级合伙人", "欧阳明远")
    assert split_post_and_name("秘书长司马南") == ("秘书长", "司马南")


def test_a_double_surname_alone_is_not_a_name():
    assert split_post_and_name("欧阳") is None


def test_a_title_inside_a_longer_title_does_not_cut_the_name():
    assert split_post_and_name("维权委员会主任委员曹建平") == ("维权委员会主任委员", "曹建平")


def test_a_law_firm_can_stand_as_the_post():
    assert split_post_and_name("湖南天地人律师事务所王立新") == ("湖南天地人律师事务所", "王立新")


def test_a_bracketed_note_stays_in_the_post():
    assert split_post_and_name("副会长(分管青年律师工作)赵丽华") == (
        "副会长(分管青年律师工作)",
        "赵丽华",
    )


def test_full_width_brackets_are_read_as_half_width():
    assert split_post_and_name("副会长（分管青年律师工作）赵丽华") == (
        "副会长(分管青年律师工作)",
        "赵丽华",
    )


@pytest.mark.parametrize(
    "group",
    [
        "有关负责同志",
        "部分律师事务所党支部书记",
        "各省(区、市)和新疆生产建设兵团司法(厅)局长",
        "副省级城市司法局长",
        "全体党员",
        "律师代表",
        "张部长",
        "北京",
    ],
)
def test_group_descriptions_and_places_have_no_name(group):
    assert split_post_and_name(group) is None


# --- split_enumeration -------------------------------------------------------------------


def test_enumeration_splits_at_dun_comma_and_at_he():
    assert split_enumeration(
        "新疆司法厅(局)和湖南天地人律师事务所党支部、浙江六和律师事务所党支部"
    ) == [
        "新疆司法厅(局)",
        "湖南天地人律师事务所党支部",
        "浙江六和律师事务所党支部",
    ]


def test_enumeration_does_not_split_inside_brackets():
    assert split_enumeration("各省(区、市)和新疆生产建设兵团司法(厅)局长") == [
        "各省(区、市)",
        "新疆生产建设兵团司法(厅)局长",
    ]


def test_enumeration_keeps_he_that_belongs_to_a_name():
    assert split_enumeration("王和平、浙江六和律师事务所") == ["王和平", "浙江六和律师事务所"]


# --- the seed article --------------------------------------------------------------------


def test_seed_event_is_the_forum_on_party_organizations(seed):
    assert seed.event.name == "全国律师行业党的基层组织和党员创先争优活动座谈会"


def test_seed_event_was_held_at_jinggangshan(seed):
    assert seed.event.place == "井冈山"


def test_seed_event_date_has_no_year_even_with_a_publication_date(seed):
    assert seed.event.date == PartialDate(year=None, month=7, day=30)


def test_seed_notices_say_the_year_is_not_stated(seed):
    assert "会议日期未写明年份" in seed.notices


def test_seed_speech_is_by_the_minister(seed):
    assert [(s.speaker, s.post) for s in seed.speeches] == [("吴爱英", "司法部党组书记、部长")]


def test_seed_speech_giver_is_a_participant_with_role_speaker(seed):
    assert people(seed, "speaker") == [("吴爱英", "司法部党组书记、部长")]


def test_seed_host_is_the_head_of_the_political_department(seed):
    assert people(seed, "host") == [("尹晋华", "司法部党组成员、政治部主任")]


def test_seed_attendees_share_the_post_written_once(seed):
    assert people(seed, "attendee") == [
        ("陈训秋", "司法部党组副书记、副部长"),
        ("张苏军", "部党组成员、副部长"),
        ("郝赤勇", "部党组成员、副部长"),
    ]


def test_seed_presenters_are_six_organizations_with_the_shared_suffix_distributed(seed):
    assert organizations(seed, "presenter") == [
        "北京司法厅(局)",
        "上海司法厅(局)",
        "四川司法厅(局)",
        "新疆司法厅(局)",
        "湖南天地人律师事务所党支部",
        "浙江六和律师事务所党支部",
    ]


def test_seed_invited_group_is_proposed_as_a_guest_organization(seed):
    assert organizations(seed, "guest") == ["中央创先争优活动领导小组办公室指导组"]


def test_seed_group_descriptions_propose_no_people(seed):
    named = {p.name for p in seed.participants if p.kind == "person"}
    assert named == {"吴爱英", "陈训秋", "张苏军", "郝赤勇", "尹晋华"}


def test_seed_participants_keep_the_order_of_the_report(seed):
    assert [p.order for p in seed.participants] == list(range(len(seed.participants)))
    assert [p.name for p in seed.participants][-4:] == ["陈训秋", "张苏军", "郝赤勇", "尹晋华"]


def test_whole_seed_file_gives_the_same_proposals_as_its_body(seed):
    whole = extract(SEED, published_on=date(2014, 5, 13))
    assert whole == seed


# --- dates -------------------------------------------------------------------------------


def test_a_written_year_is_kept():
    extraction = extract("市律师协会年会于2023年3月5日在市会议中心召开。")
    assert extraction.event.date == PartialDate(2023, 3, 5)
    assert not any("年份" in notice for notice in extraction.notices)


def test_chinese_numerals_in_dates_are_read():
    extraction = extract("市律师协会年会二〇二三年十二月二十八日在市会议中心召开。")
    assert extraction.event.date == PartialDate(2023, 12, 28)


def test_a_meeting_dated_after_publication_is_flagged():
    extraction = extract("市律师协会年会于2023年3月5日在市会议中心召开。", date(2023, 3, 1))
    assert "会议日期晚于发布日期,请核对" in extraction.notices


def test_a_meeting_held_recently_has_no_date_and_a_notice():
    extraction = extract("市律师协会日前在律师之家召开年度工作会议。会长刘明主持会议。")
    assert extraction.event.date is None
    assert any("日前" in notice for notice in extraction.notices)


def test_a_meeting_of_several_days_is_dated_by_its_first_day():
    extraction = extract("3月20日至21日,市律师协会在律师培训中心举办岗前培训班。")
    assert extraction.event.date == PartialDate(None, 3, 20)
    assert "会议持续多日,日期取首日" in extraction.notices


def test_a_slogan_is_not_an_event():
    assert extract("扎实开展律师行业创先争优活动") == Extraction()


# --- roles -------------------------------------------------------------------------------

REPORT = "本网讯 市律师协会年会3月5日在律师之家召开。"


@pytest.mark.parametrize(
    "sentence",
    [
        "市律师协会会长刘明在会上讲话。",
        "市律师协会会长刘明在年会上讲话时强调,要加强行业自律。",
        "市律师协会会长刘明代表第十届理事会作工作报告。",
        "市律师协会会长刘明代表协会致辞。",
        "会上,市律师协会会长刘明致辞。",
    ],
)
def test_speech_forms_give_the_speaker_and_post(sentence):
    extraction = extract(REPORT + sentence)
    assert [(s.speaker, s.post) for s in extraction.speeches] == [("刘明", "市律师协会会长")]


def test_attending_and_speaking_gives_two_roles():
    extraction = extract(REPORT + "市司法局副局长王建国出席会议并讲话。")
    assert {p.role for p in extraction.participants} == {"attendee", "speaker"}


def test_host_can_be_written_before_the_verb():
    extraction = extract(REPORT + "市律师协会副会长赵丽华主持会议。")
    assert people(extraction, "host") == [("赵丽华", "市律师协会副会长")]


def test_a_post_written_once_covers_names_joined_by_he():
    extraction = extract(REPORT + "市律师行业党委委员潘婷和曾志强出席会议。")
    assert people(extraction, "attendee") == [
        ("潘婷", "市律师行业党委委员"),
        ("曾志强", "市律师行业党委委员"),
    ]


def test_names_before_a_comma_share_the_verb():
    extraction = extract(REPORT + "市律师协会会长刘明,副会长陈刚出席会议。")
    assert people(extraction, "attendee") == [("刘明", "市律师协会会长"), ("陈刚", "副会长")]


def test_a_shared_suffix_takes_the_province_level_word():
    extraction = extract(REPORT + "江苏、浙江省司法厅介绍了经验。")
    assert organizations(extraction, "presenter") == ["江苏省司法厅", "浙江省司法厅"]


def test_bare_district_names_take_the_shared_suffix():
    extraction = extract(REPORT + "海淀、朝阳区律师协会介绍了经验。")
    assert organizations(extraction, "presenter") == ["海淀区律师协会", "朝阳区律师协会"]


def test_names_before_a_city_organization_stay_people():
    extraction = extract(REPORT + "张立、李华和北京市律师协会介绍了经验。")
    assert people(extraction, "presenter") == [("张立", ""), ("李华", "")]
    assert organizations(extraction, "presenter") == ["北京市律师协会"]


def test_a_lawyer_named_after_the_firm_keeps_firm_and_title_as_post():
    extraction = extract(REPORT + "天平律师事务所李强律师作交流发言。")
    assert people(extraction, "presenter") == [("李强", "天平律师事务所律师")]


def test_a_name_mentioned_again_keeps_the_post_written_earlier():
    extraction = extract(REPORT + "市律师协会会长刘明出席会议。刘明在讲话中指出,要守正创新。")
    assert people(extraction, "speaker") == [("刘明", "市律师协会会长")]


def test_a_reference_to_another_speech_is_not_a_speech():
    extraction = extract(REPORT + "会议要求认真学习贯彻中央领导同志重要讲话精神。")
    assert extraction.speeches == []


def test_full_width_and_half_width_reports_give_the_same_proposals():
    full = "本网讯 市律师协会年会3月5日在律师之家召开。会长刘明，副会长陈刚（兼）出席会议。"
    half = "本网讯 市律师协会年会3月5日在律师之家召开。会长刘明,副会长陈刚(兼)出席会议。"
    assert extract(full) == extract(half)


def test_the_announcement_of_a_future_meeting_proposes_nothing():
    text = "定于2024年1月18日在市会议中心召开律师代表大会。会议由会长刘明主持。特此通知。"
    assert extract(text) == Extraction()


# --- own passages ------------------------------------------------------------------------


@pytest.mark.parametrize("passage", MEETINGS, ids=lambda passage: passage.key)
def test_passage_event_is_found(passage: Passage):
    event = extract(passage.text).event
    day = event.date and (event.date.year, event.date.month, event.date.day)
    assert (event.name, day, event.place) == (
        passage.event_name,
        passage.event_date,
        passage.event_place,
    )


@pytest.mark.parametrize("passage", MEETINGS, ids=lambda passage: passage.key)
def test_passage_organizations_are_found(passage: Passage):
    extraction = extract(passage.text)
    found = {(p.name, p.role) for p in extraction.participants if p.kind == "organization"}
    assert found == passage.organizations


@pytest.mark.parametrize("passage", NOT_MEETINGS, ids=lambda passage: passage.key)
def test_passage_without_a_meeting_proposes_nothing(passage: Passage):
    assert extract(passage.text) == Extraction()


def test_accuracy_on_own_passages():
    expected: set[tuple[str, str, str, str]] = set()
    found: set[tuple[str, str, str, str]] = set()
    for passage in PASSAGES:
        expected |= {(passage.key, *person) for person in passage.people}
        found |= {
            (passage.key, p.name, p.post, p.role)
            for p in extract(passage.text).participants
            if p.kind == "person"
        }
    correct = len(expected & found)
    precision = correct / len(found) if found else 0.0
    recall = correct / len(expected)
    print(f"people with posts: precision={precision:.3f} recall={recall:.3f}")
    assert precision >= 0.9
    assert recall >= 0.9


# --- Forms of real reports ------------------------------------------------------------------


def everyone(extraction: Extraction) -> set[tuple[str, str]]:
    return {(p.name, p.post) for p in extraction.participants if p.kind == "person"}


def test_posts_written_after_the_name_keep_the_organisation_before_it():
    extraction = extract(REPORT + "广东省司法厅马军港副厅长、省律协薛云华会长与会指导。")
    assert everyone(extraction) == {("马军港", "广东省司法厅副厅长"), ("薛云华", "省律协会长")}


def test_names_without_separators_are_split_into_people():
    extraction = extract("律师认可典礼 张举能林定国张国钧主礼\n" + REPORT)
    assert [p.name for p in extraction.participants if p.role == "host"] == [
        "张举能",
        "林定国",
        "张国钧",
    ]


def test_a_list_after_chuxi_de_haiyou_gives_each_person_with_the_post():
    extraction = extract(
        REPORT + "出席开幕式的还有:上海市司法局副局长桂晓民,上海市律师协会副会长徐晓青、毛柏根。"
    )
    assert everyone(extraction) == {
        ("桂晓民", "上海市司法局副局长"),
        ("徐晓青", "上海市律师协会副会长"),
        ("毛柏根", "上海市律师协会副会长"),
    }


def test_an_invitation_is_not_part_of_the_post():
    extraction = extract(REPORT + "会议还邀请市国资委法律处处长王杰出席。")
    assert everyone(extraction) == {("王杰", "市国资委法律处处长")}


def test_an_election_gives_each_name_its_new_post():
    extraction = extract(REPORT + "大会选举张建农为会长、卢春凤、陈小平为副会长,周宝星为监事长。")
    assert everyone(extraction) == {
        ("张建农", "会长"),
        ("卢春凤", "副会长"),
        ("陈小平", "副会长"),
        ("周宝星", "监事长"),
    }


def test_visits_name_who_led_and_who_was_visited():
    extraction = extract(
        REPORT + "厅党委书记、厅长陈旭东带队到平罗县慰问法律援助志愿者律师冯馨莹。"
    )
    assert everyone(extraction) == {
        ("陈旭东", "厅党委书记、厅长"),
        ("冯馨莹", "法律援助志愿者律师"),
    }


def test_a_later_mention_with_part_of_the_post_keeps_the_full_post():
    extraction = extract(REPORT + "市律协会长陈达成出席会议。陈达成会长在会上讲话。")
    assert everyone(extraction) == {("陈达成", "市律协会长")}


def test_a_verb_phrase_after_an_organisation_proposes_no_one():
    extraction = extract(REPORT + "市律师协会组织青年律师开展培训。")
    assert everyone(extraction) == set()
    assert not [p for p in extraction.participants if "组织青年律师" in p.name]


def test_a_delegation_named_before_yixing_is_proposed():
    extraction = extract(
        REPORT + "省律师协会秘书长朱鹏彦、办公室主任吴让东等一行,实地核验党支部创建工作。"
    )
    assert everyone(extraction) == {("朱鹏彦", "省律师协会秘书长"), ("吴让东", "办公室主任")}


def test_what_someone_said_at_the_opening_names_the_speaker():
    extraction = extract(
        REPORT + "司法部部长傅政华在开幕式上介绍,中国律师每年办理诉讼案件500多万件。"
    )
    assert everyone(extraction) == {("傅政华", "司法部部长")}


def test_an_organisation_doing_something_is_not_proposed_as_a_participant():
    extraction = extract(REPORT + "司法部对律师行业创先争优活动进行了部署。")
    assert not extraction.participants


def test_a_common_word_is_not_taken_for_a_name():
    extraction = extract(REPORT + "包括参观终审法院、参加圆桌会议。")
    assert not extraction.participants


# --- Forms found on real pages the rules had not seen (bench/legacy_fidelity.py) ----------


def test_a_civil_service_rank_ends_a_post():
    extraction = extract(REPORT + "市委政法委指导科主任科员张明参加座谈。")
    assert people(extraction, "attendee") == [("张明", "市委政法委指导科主任科员")]


def test_a_rarer_surname_starts_a_name():
    extraction = extract(REPORT + "市律协秘书长楼明远,副秘书长智海出席会议。")
    assert people(extraction, "attendee") == [("楼明远", "市律协秘书长"), ("智海", "副秘书长")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("市司法局副局长王平率代表团一行12人访问省律协。", [("王平", "市司法局副局长")]),
        (
            "省律协秘书长陈立,副秘书长周方、曹文热情接待了代表团。",
            [("陈立", "省律协秘书长"), ("周方", "副秘书长"), ("曹文", "副秘书长")],
        ),
        ("市律协秘书长袁青等随团考察交流。", [("袁青", "市律协秘书长")]),
        (
            "市司法局局长李举,科长孙英一行三人分别到律所调研。",
            [("李举", "市司法局局长"), ("孙英", "科长")],
        ),
        ("会后,市司法局王侃局长和市律协林克会长也会见了考察团。", None),
    ],
)
def test_visits_led_received_and_joined_name_the_people(sentence, expected):
    extraction = extract(REPORT + sentence)
    if expected is None:  # posts written around the name: the organisation before it
        expected = [("王侃", "市司法局局长"), ("林克", "市律协会长")]
    assert people(extraction, "attendee") == expected


def test_people_who_led_may_be_listed_with_commas_and_without_de():
    extraction = extract(REPORT + "在市司法局局长张冬明,副局长钱萍带领下,考察团参观了律所。")
    assert people(extraction, "attendee") == [("张冬明", "市司法局局长"), ("钱萍", "副局长")]


def test_what_invited_or_received_them_is_not_part_of_the_post():
    extraction = extract(
        REPORT + "本次培训邀请了市司法局审查科科长李青授课。并受理事长尤祥率领理事张誉接待。"
    )
    assert ("李青", "市司法局审查科科长") in people(extraction, "attendee") + people(
        extraction, "speaker"
    )
    assert ("尤祥", "理事长") in people(extraction, "attendee")


def test_what_someone_said_makes_them_a_speaker():
    extraction = extract(REPORT + "所党委书记江鸥说党务工作的核心是抓好思想政治工作。")
    assert people(extraction, "speaker") == [("江鸥", "所党委书记")]


def test_a_list_may_begin_in_the_clause_that_introduces_it():
    extraction = extract(REPORT + "参加会议的还有市律协秘书长陈舒和副秘书长郑锋、白清。")
    assert people(extraction, "attendee") == [
        ("陈舒", "市律协秘书长"),
        ("郑锋", "副秘书长"),
        ("白清", "副秘书长"),
    ]


def test_a_group_described_after_the_people_leaves_the_people():
    extraction = extract(
        REPORT + "市委政法委副书记林善、市司法局党组书记、局长俞春,"
        "副局长柯新及公安、法院等有关单位领导出席会议。"
    )
    assert people(extraction, "attendee") == [
        ("林善", "市委政法委副书记"),
        ("俞春", "市司法局党组书记、局长"),
        ("柯新", "副局长"),
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "选举蔡伟担任党委书记,萧键担任党委副书记。",
            [("蔡伟", "党委书记"), ("萧键", "党委副书记")],
        ),
        (
            "大会产生了以夏明为会长,杨华、金敏为副会长的新一届理事会。",
            [("夏明", "会长"), ("杨华", "副会长"), ("金敏", "副会长")],
        ),
    ],
)
def test_the_elected_take_the_post_they_were_elected_to(sentence, expected):
    assert people(extract(REPORT + sentence), "attendee") == expected


def test_a_section_chief_ends_a_post_and_never_a_name():
    extraction = extract(
        REPORT + "市司法局公共法律服务管理股股长、市法律援助处主任牛彰参加了仪式。"
    )
    assert people(extraction, "attendee") == [
        ("牛彰", "市司法局公共法律服务管理股股长、市法律援助处主任")
    ]


def test_a_doctor_is_an_honorific_and_a_caption_is_not_a_post():
    extraction = extract(
        REPORT + "本期培训班特邀了省委党校副教授刘艺博士授课。图为所主任张林致辞。"
    )
    assert people(extraction, "speaker") == [("刘艺", "省委党校副教授"), ("张林", "所主任")]


def test_a_section_named_before_its_head_is_not_a_name():
    extraction = extract(REPORT + "会上,市司法局法律服务管理科科长顾卫忠宣读了批复。")
    assert people(extraction, "speaker") == [("顾卫忠", "市司法局法律服务管理科科长")]


@pytest.mark.parametrize(
    ("sentence", "role", "expected"),
    [
        (
            "市妇联副主席王飞同志、市律协副会长汪霞同志等相关领导出席会议。",
            "attendee",
            [("王飞", "市妇联副主席"), ("汪霞", "市律协副会长")],
        ),
        (
            "出席启动仪式人员有:市司法局局长张刚,市律师协会会长姜耀。",
            "attendee",
            [("张刚", "市司法局局长"), ("姜耀", "市律师协会会长")],
        ),
        ("区工委主委姚红荣首先介绍了工委的情况。", "speaker", [("姚红荣", "区工委主委")]),
        ("副主委黄波一行两人实地走访了律所。", "attendee", [("黄波", "副主委")]),
        ("市司法局局长吴文专题调研律师工作。", "attendee", [("吴文", "市司法局局长")]),
        ("选举宋华律师为市律协妇联主席。", "attendee", [("宋华", "市律协妇联主席")]),
        (
            "市委常委、政法委书记唐兵,到律师事务所调研。",
            "attendee",
            [("唐兵", "市委常委、政法委书记")],
        ),
        (
            "启动仪式首先由盛世律师事务所律师吕萍代表女律师作表态发言。",
            "presenter",
            [("吕萍", "盛世律师事务所律师")],
        ),
    ],
)
def test_more_forms_of_real_reports_name_the_people(sentence, role, expected):
    assert people(extract(REPORT + sentence), role) == expected


def test_a_word_starting_with_a_surname_is_not_a_name():
    extraction = extract(REPORT + "化龙镇等单位代表参加了揭牌仪式。")
    assert people(extraction, "attendee") == []


def test_an_adverb_before_a_statement_is_not_cut_into_names():
    extraction = extract(REPORT + "苏文辉主任全面总结了上半年的工作。")
    assert people(extraction, "speaker") == [("苏文辉", "主任")]


def test_a_dash_or_a_caption_mark_is_not_part_of_the_post():
    extraction = extract(
        REPORT + "——全国律协秘书长韩秀桃到广西开展调研。△北海律协会长王彪陪同调研。"
    )
    assert people(extraction, "attendee") == [
        ("韩秀桃", "全国律协秘书长"),
        ("王彪", "北海律协会长"),
    ]
