"""Propose the event, speeches and participants that a Chinese meeting report describes.

Reports follow a few set phrasings (本网讯 X座谈会7月30日在井冈山召开 / 会议由…主持 /
…出席座谈会), so plain rules go a long way. Everything here is a proposal that an editor
confirms before it becomes an Event, Speech or participation record; when in doubt the rules
propose nothing rather than a wrong name. No Django imports: importers and the admin call
`extract()` and decide what to keep.

Punctuation in proposals is normalised to half-width forms (（局）→ (局)), so one
organisation written either way gives one proposal.
"""

import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Literal

__all__ = [
    "EventProposal",
    "Extraction",
    "PartialDate",
    "ParticipantProposal",
    "SpeechProposal",
    "extract",
    "split_enumeration",
    "split_post_and_name",
]

Role = Literal["host", "speaker", "attendee", "presenter", "guest"]
Kind = Literal["person", "organization"]


@dataclass(frozen=True)
class PartialDate:
    """A day as the report writes it: reports often leave out the year (7月30日)."""

    year: int | None
    month: int
    day: int


@dataclass(frozen=True)
class EventProposal:
    name: str
    date: PartialDate | None
    place: str


@dataclass(frozen=True)
class SpeechProposal:
    speaker: str
    post: str


@dataclass(frozen=True)
class ParticipantProposal:
    name: str
    post: str  # as written before the name, possibly empty
    role: Role
    kind: Kind
    order: int  # position in the report, from 0


@dataclass(frozen=True)
class Extraction:
    event: EventProposal | None = None
    speeches: list[SpeechProposal] = field(default_factory=list)
    participants: list[ParticipantProposal] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


# --- Vocabulary -------------------------------------------------------------------------

# Words that end a post; the name follows directly (部长吴爱英). Every occurrence is a
# candidate boundary and the name check decides, so overlaps (主任 / 主任委员) are harmless.
TITLE_WORDS = (
    "部长", "副部长", "主任", "副主任", "书记", "副书记", "总书记", "局长", "副局长",
    "厅长", "副厅长", "司长", "副司长", "处长", "副处长", "科长", "会长", "副会长",
    "秘书长", "副秘书长", "主席", "副主席", "主任委员", "副主任委员", "委员", "常委",
    "成员", "党组成员", "巡视员", "副巡视员", "调研员", "理事", "常务理事", "理事长",
    "监事", "监事长", "院长", "副院长", "庭长", "检察长", "副检察长", "所长", "合伙人",
    "律师", "组长", "副组长", "队长", "市长", "副市长", "区长", "县长", "省长", "教授",
    "副教授", "研究员", "专家", "代表", "负责人", "董事长", "总经理", "经理", "校长",
    "干事", "支委", "法官", "检察官", "主编", "团长", "副团长", "政委", "发言人", "主委",
    "副理事长", "监事长", "副监事长", "志愿者", "首席法官", "大法官", "大检察官", "馆长", "总监",
    "科员", "专员", "股长", "副股长",
)  # fmt: skip

# Organisations that may stand as the whole post (天地人律师事务所王五).
POST_ORG_ENDINGS = (
    "律师事务所", "律师协会", "律协", "司法局", "司法厅", "党支部", "党总支", "党委",
    "大学", "学院", "法院", "检察院",
)  # fmt: skip

# Words after a name: 李强律师, 张三同志. Only the first two say something about the post.
HONORIFICS = ("大律师", "律师", "教授", "博士", "同志", "先生", "女士")
POST_HONORIFICS = ("律师", "教授")

# Endings that make a phrase an organisation (新疆司法厅, 指导组, 律师事务所党支部).
ORG_ENDINGS = (
    "厅", "局", "部", "委", "院", "所", "会", "组", "办", "室", "处", "科", "庭", "队",
    "团", "司", "支", "校", "中心", "公司", "政府",
)  # fmt: skip

# Heads shared by an enumeration of places: 北京、上海、新疆司法厅(局).
# 律师事务所 is not one: a firm's name always sits between the place and the head.
GENERIC_HEADS = (
    "司法厅", "司法局", "律师协会", "律协", "律师行业党委", "高级人民法院",
    "中级人民法院", "人民法院", "人民检察院", "检察院", "法院", "公安厅", "公安局",
)  # fmt: skip

# A group is described, not named: the marker after an organisation leaves the organisation
# (中央…指导组有关负责同志 → 中央…指导组); after anything else nothing is proposed.
GROUP_MARKERS = tuple(
    sorted(
        ("有关负责同志", "主要负责同志", "负责同志", "有关负责人", "主要负责人",
         "负责人", "有关同志", "有关领导", "主要领导", "领导", "代表", "同志"),
        key=len,
        reverse=True,
    )
)  # fmt: skip
GROUP_NOUNS = (
    "干部", "党员", "群众", "人员", "嘉宾", "学员", "职工", "同志们", "代表们", "律师们", "骨干",
)  # fmt: skip
VAGUE_WORDS = (
    "有关", "相关", "各", "部分", "全体", "全市", "全省", "全区", "与会", "其他", "其它",
    "广大", "若干", "一些", "等",
)  # fmt: skip

PROVINCES = frozenset((
    "北京", "天津", "上海", "重庆", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "江苏",
    "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南",
    "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "香港", "澳门",
    "台湾", "新疆生产建设兵团",
))  # fmt: skip

# Common surnames; a name must start with one, which rejects most fragments of posts.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
    "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史"
    "陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷"
    "詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳"
    "管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷"
    "晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻"
    "苑迟邝郁谈花封凤桂洪占裘訚植笪竺阙蔺晋揭厉冀郜荆练帅粟逄闻芮眭冼禹钭"
    # Rarer surnames that begin no common word (楼明卓, 智玉萍).
    "楼智邰隗宓郗嵇鞠郦逯阚訾钮荀邴郏扈庾暨昝晁仝亓谌郇綦蹇茹鄢惠栗"
    "萧赖奚廉湛狄贝茅杭储屠胥濮宦巢蒯桓鄂韶糜"
)
COMPOUND_SURNAMES = frozenset((
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
    "司徒", "夏侯", "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "百里", "呼延", "万俟",
    "闻人", "澹台", "公冶", "申屠", "太史", "钟离", "第五", "拓跋",
))  # fmt: skip
# Characters that practically never occur in a given name but do in posts and phrases.
NAME_STOP_CHARS = frozenset(
    "的了在是等们各于为其该本此某之与及并对将把被从向到上下党部局厅院所处室组委协会省县区"
    "级届次年日号法务律讲话席持员央股位主"
)

# --- Patterns ---------------------------------------------------------------------------

_FULL_TO_HALF = str.maketrans(
    {"，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "！": "!", "？": "?"}
    | {"\u3000": " ", "\xa0": " "}
    | {chr(0xFF10 + digit): str(digit) for digit in range(10)}
)
_CJK = "\u4e00-\u9fff"
# Spaces between two Chinese characters are layout (本网讯    全国…, 王  伟), not words.
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_NAME_CHARS = re.compile(rf"[{_CJK}]+")
_SHORT_WORD = re.compile(rf"[{_CJK}]{{2,4}}")
_ORG_CHARS = re.compile(rf"[{_CJK}0-9A-Za-z()《》“”·]+")
_OPENERS, _CLOSERS = "(《“‘【[", ")》”’】]"

# The byline line of the legacy format: 信息来源:本站原创 时间:2014-05-13 作者:市律协.
_METADATA_LINE = re.compile(r"^(?:信息来源|来源|时间|发布时间|作者|编辑|责任编辑|浏览次数)\s*:")
# Opening words of a report: 本网讯, 本报讯, (通讯员 林芳).
_LEAD_IN = re.compile(r"^(?:本网讯|本报讯|本站讯)?\s*(?:\((?:记者|通讯员)[^)]*\))?\s*")
# Openers of a clause that are not part of its subject: 会上, 座谈会上, 随后, 最后; what
# invited them (本次培训邀请了, 分别邀请了); 在 and 受 before the people who led or received
# (在局长张三, 副局长李四带领下 / 并受理事长王五率领…接待), one after another.
_ADVERBIAL = re.compile(
    r"^(?:(?:(?:座谈会|研讨会|论坛|大会|年会|会议|仪式|典礼|活动|培训班|会)(?:上|中|期间)"
    r"|随后|接着|之后|最后|此外|同时|另外|其间|首先|然后|并|在|受|图为:?|图中|—+|△|▲"
    r"|[^,]{0,8}?由(?![^,]*主持)"
    r"|[^,]{0,8}?(?:特邀|邀请)了?))+"
)
_LEADING_CONNECTOR = re.compile(r"^(?:以及|及|和|与|并|还有)")
_TRAILING_ETC = re.compile(r"等(?:(?:相关|有关)?(?:领导|人员)|人|同志)?$")
_TRAILING_BRACKET = re.compile(r"\([^)]*\)$")
_CONJUNCTION = re.compile(r"以及|及|和|与")
_COUNTED_PEOPLE = re.compile(r"\d+(?:余|多)?(?:名|位|人)")

# Texts that announce or regulate rather than report: notices, rules, holiday schedules.
_NOT_A_REPORT = re.compile(
    r"特此通知|特此公告|通知如下|公告如下|安排如下|^第[一二三四五六七八九十百〇零]+条", re.M
)
_NOT_A_REPORT_TITLE = re.compile(r"(?:通知|公告|通告|决定|办法|规定|规则|细则|章程|安排)$")
# A meeting that is still to come (定于3月5日召开) is announced, not reported.
_FUTURE = re.compile(r"定于|将于|拟于|计划于|将在|拟在")

_NUMBER = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
# 7月30日, 2023年12月28日, 二〇二三年三月五日, 3月20日至21日.
_DATE = (
    rf"(?:(?:\d{{4}}|[〇零一二三四五六七八九]{{4}})年)?{_NUMBER}月{_NUMBER}日"
    rf"(?:(?:至|到|-|—|~)(?:{_NUMBER}月)?{_NUMBER}日)?"
)
_RELATIVE_DAY = r"日前|近日|近期|前不久|不久前|最近|昨天|昨日|今天|今日"
_WHEN = rf"(?:{_DATE}|{_RELATIVE_DAY})(?:上午|下午|晚上|晚|早上|中午)?"
_DATE_PARTS = re.compile(
    rf"(?:(?P<year>\d{{4}}|[〇零一二三四五六七八九]{{4}})年)?(?P<month>{_NUMBER})月(?P<day>{_NUMBER})日"
    r"(?P<range>至|到|-|—|~)?"
)
_WHEN_ONLY = re.compile(_WHEN)
_MEETING = r"(?:会议|会|论坛|仪式|典礼|式|培训班|培训|讲座|活动|沙龙|党日)"
_HELD = r"(?:隆重|顺利|正式|成功)?(?:召开|举行|举办|开幕|开班|开讲|闭幕)"
_PLACE = r"(?:(?:在|于|赴)(?P<place>[^,]{1,30}?))?"
# 全国…座谈会7月30日在井冈山召开 / …大会于2023年12月28日在市会议中心隆重召开.
_EVENT_NAMED_FIRST = re.compile(
    rf"^(?P<name>[^,]{{2,60}}?{_MEETING})(?<!协会)(?<!学会)"
    rf"(?:于?(?P<when>{_WHEN}))?{_PLACE}{_HELD}"
)
# 市律师协会日前在律师之家召开年度工作会议 / …党支部组织党员赴纪念馆开展主题党日活动.
_EVENT_ORGANIZER_FIRST = re.compile(
    rf"^(?:(?P<lead>{_WHEN}))?(?P<organizer>[^,]{{2,40}}?)(?:于?(?P<when>{_WHEN}))?{_PLACE}"
    rf"(?:隆重|顺利|正式|成功)?(?:召开|举行|举办|开展|组织召开|组织开展)了?"
    rf"(?P<name>[^,]{{2,60}}{_MEETING})"
)

# Tails that follow the subject of a clause. Each is tried at every position; the text
# before it must parse as names, which keeps 学习…讲话精神 from yielding a speaker.
_GUEST_TAIL = re.compile(r"应邀(?:出席|参加|列席|莅临)")
_ATTENDEE_TAIL = re.compile(
    r"(?:于[^,]{0,12}?日(?:上午|下午|晚上)?)?(?:也|还|亦|分别|一同|一起|共同)?(?:出席|参加|列席|莅临)"
)
_HOST_TAIL = re.compile(r"(?:为[^,]{0,12}?)?(?:共同)?(?:担任)?主持")
# 在会上讲话 / 作工作报告 / 代表市律协致辞 / 为全体党员讲授专题党课.
_SPEECH_TAIL = re.compile(
    r"(?=代表|在|为|作|做|发表|致|讲|主讲|授课|结合|围绕|就|分别|先后|依次|还|也)[^,]{0,80}?"
    r"(?:讲话|致辞|致词|欢迎辞|开幕辞|闭幕辞|贺辞|报告|讲座|主讲|授课|党课|演讲|部署|总结)"
)
# 介绍了…做法和经验 / 作交流发言 / 代表获奖律师发言.
_PRESENTER_TAIL = re.compile(
    r"(?=分别|先后|依次|相继|也|还|代表|结合|围绕|就|在|介绍|交流|分享|作|做|发言)"
    r"(?:[^,]{0,40}?(?:介绍|交流|分享)了?[^,]{0,60}?(?:经验|做法|情况|体会|心得|成果|举措)"
    r"|[^,]{0,40}?发言)"
)
_WHEN_PREFIX = r"(?:于?[^,]{0,12}?日(?:上午|下午|晚上)?)?"
# Verbs after a list of people only (not of organisations or groups): visits, leading,
# receiving, and what someone said.
_VISIT_TAIL = re.compile(
    r"(?:等?一行$|" + _WHEN_PREFIX + r"(?:等)?(?:一行(?:\d+|[一两二三四五六七八九十]+)?人?)?"
    r"(?:分别|一同|一起|共同|也|还|亦)?(?:热情|亲切|专程|实地|专题)?"
    r"(?:带队|率队|率领|率(?![先领])|带领|陪同|随同|随团|慰问|看望|走访|探望|调研|考察"
    r"|检查|来到|前往|到会|到|赴|与会|莅临|接待|召集|会见|参观|围绕|就|向|应[^,]{0,20}?邀请"
    r"|受[^,]{0,20}?邀请))"
)
_SAID_TAIL = re.compile(
    _WHEN_PREFIX + r"(?:首先|随后|接着|最后|还|也|又|再次|先后|进一步)?"
    r"(?:全面|认真|系统|详细|简要|重点|深入|充分)?"
    r"(?:代表[^,]{0,12}?|在[^,]{0,15}?)?(?:宣布|通报|指出|表示|强调|介绍|宣读|总结|谈道|谈到|说)"
)
_HOST_CEREMONY_TAIL = re.compile(r"(?:为[^,]{0,10})?主礼")
_ALSO_SPOKE = re.compile(r"[^,]{0,20}?并(?:作了?|发表了?)?[^,]{0,10}?(?:讲话|致辞)")
# 会议由司法部党组成员、政治部主任尹晋华主持.
_HOSTED_BY = re.compile(r"由(?P<who>[^,]+?)(?:共同)?主持")
_TAILS: tuple[tuple[Role, re.Pattern[str]], ...] = (
    ("guest", _GUEST_TAIL),
    ("attendee", _ATTENDEE_TAIL),
    ("host", _HOST_TAIL),
    ("host", _HOST_CEREMONY_TAIL),
    ("speaker", _SPEECH_TAIL),
    ("presenter", _PRESENTER_TAIL),
    ("attendee", _VISIT_TAIL),
    ("speaker", _SAID_TAIL),
)
_PEOPLE_ONLY_TAILS = (_VISIT_TAIL, _SAID_TAIL)
# 在支部书记、律所主任马峻的带领下 / 由…陪同.
# The people may be a list with commas: 在局长张冬明,副局长智玉萍带领下.
_LED_BY = re.compile(r"在(?P<who>[^,。]+?(?:,[^,。]+?)*)的?(?:带领|陪同|组织|主持|率领)下")
# 出席开幕式的还有: / 参加会议的领导有:  — a list follows, a clause per name or group.
_LIST_INTRO = re.compile(
    r"^(?:出席|参加|列席|莅临|应邀出席|应邀参加)[^,]{0,20}?的?(?:领导|嘉宾|人员)?(?:还)?有:?"
)
# A group described after the people, in the same subject: 副局长柯家欣及公安、法院等有关单位领导.
_GROUP_AFTER_PEOPLE = re.compile(
    r"(?:以及|及|和|与)[^,]*?(?:有关|相关)?(?:单位|部门)?的?"
    r"(?:领导|负责人|负责同志|代表|同志|人员|干部|律师|嘉宾)们?$"
)
# 慰问…律师冯馨莹 / 看望了老律师张三.
_VISITED = re.compile(r"(?:慰问|看望|探望)了?(?P<who>[^,]+?)(?:并|,|$)")
# 选举张建农为会长、卢春凤、陈小平为副会长,周宝星为监事长.
_ELECTED = re.compile(r"选举(?:产生)?了?(?P<rest>.+)$")
# Roles whose subject may be groups only (…部分律师事务所党支部书记参加会议).
_GROUPS_ALLOWED: frozenset[Role] = frozenset({"guest", "attendee", "presenter"})

_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}


# --- Names and posts --------------------------------------------------------------------


def _normalize(text: str) -> str:
    return _SPACE_BETWEEN_CJK.sub("", text.translate(_FULL_TO_HALF))


# Common words that start with a surname character.
NOT_NAMES = frozenset(
    ("包括", "高度", "经过", "通过", "关于", "于是", "周年", "全面", "全体", "方面", "常年")
)


def _is_name(text: str) -> bool:
    if not 2 <= len(text) <= 4 or not _NAME_CHARS.fullmatch(text) or text in PROVINCES:
        return False
    if text in NOT_NAMES:
        return False
    if text[:2] in COMPOUND_SURNAMES:
        given = text[2:]
    elif text[0] in SURNAMES and (len(text) < 4 or text[1] in SURNAMES):
        given = text[1:]  # four characters only as two joined surnames: 范徐丽泰
    else:
        return False
    if not given or any(char in NAME_STOP_CHARS for char in given):
        return False
    return not any(word in text for word in (*TITLE_WORDS, *GROUP_NOUNS))


def _post_ends(text: str) -> set[int]:
    ends = {index + 1 for index, char in enumerate(text) if char == ")"}
    for word in (*TITLE_WORDS, *POST_ORG_ENDINGS):
        start = text.find(word)
        while start != -1:
            ends.add(start + len(word))
            start = text.find(word, start + 1)
    return ends


def split_post_and_name(text: str) -> tuple[str, str] | None:
    """Split '司法部党组书记、部长吴爱英' into ('司法部党组书记、部长', '吴爱英').

    A bare name gives ('', name). None when the text does not end in a plausible name,
    as with group descriptions (有关负责同志, 部分律师事务所党支部书记).
    """
    text = _normalize(text).strip()
    if _is_name(text):
        return "", text
    # The rightmost boundary first: 主任委员曹建平 is 主任委员 + 曹建平, not 主任 + 委员曹建平.
    for end in sorted(_post_ends(text), reverse=True):
        if _is_name(text[end:]):
            return text[:end], text[end:]
    return None


_TITLES_LONGEST_FIRST = sorted(TITLE_WORDS, key=len, reverse=True)
_NOT_IN_POST_PREFIX = re.compile(r"[在了将要是对把被从向到与和及的为,、]|\d")


def _parse_person(item: str) -> tuple[str, str] | None:
    found = split_post_and_name(item)
    if found:
        return found
    for word in HONORIFICS:
        if item.endswith(word) and (found := split_post_and_name(item[: -len(word)])):
            post, name = found
            # 李强律师 and 天平律师事务所李强律师 say the post; 主任李强律师 already has one.
            if word in POST_HONORIFICS and not post.endswith(TITLE_WORDS):
                post += word
            return post, name
    return _name_then_title(item)


def _name_then_title(item: str) -> tuple[str, str] | None:
    """A post after the name: 马军港副厅长, 省律协薛云华会长 (post 省律协会长), 本所王毅主任."""
    for title in _TITLES_LONGEST_FIRST:
        if not item.endswith(title) or len(item) <= len(title):
            continue
        head = item[: -len(title)]
        for size in (3, 2, 4):
            name, prefix = head[-size:], head[:-size]
            if (
                _is_name(name)
                and name[-1] != title[0]  # 管理科科长: a section before its head
                and len(prefix) != 1
                and len(prefix) <= 20
                and not _NOT_IN_POST_PREFIX.search(prefix)
            ):
                return prefix + title, name
        return None
    return None


def _split_run(item: str) -> list[str] | None:
    """Names written one after another with no separator: 张举能林定国 / 张三主任李四副司长."""

    def chunks_from(start: int) -> list[str] | None:
        if start == len(item):
            return []
        for size in (3, 2, 4):
            name = item[start : start + size]
            if len(name) < size or not _is_name(name):
                continue
            ends = [start + size]
            ends += [
                start + size + len(t)
                for t in _TITLES_LONGEST_FIRST
                if item.startswith(t, start + size)
            ]
            for end in ends:
                rest = chunks_from(end)
                if rest is not None:
                    return [item[start:end], *rest]
        return None

    chunks = chunks_from(0)
    return chunks if chunks and len(chunks) >= 2 else None


# --- Enumerations -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Mention:
    kind: Literal["person", "organization", "place", "post", "group", "unknown"]
    text: str
    post: str = ""


def _split_outside_brackets(text: str, separators: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth = max(0, depth - 1)
        elif char in separators and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return [part.strip() for part in parts if part.strip()]


def _is_vague(text: str) -> bool:
    return any(word in text for word in VAGUE_WORDS) or bool(_COUNTED_PEOPLE.search(text))


def _is_place(text: str) -> bool:
    if text in PROVINCES or (text[:-1] in PROVINCES and text[-1] in "省市"):
        return True
    return bool(re.fullmatch(rf"[{_CJK}]{{1,4}}[市区县]", text)) and not _is_vague(text)


# Verbs that make a phrase a clause, not a body: 组织青年律师开展培训, 包括参观终审法院.
_VERB_IN_NAME = re.compile(
    r"开展|组织[^部]|举办|召开|进行|包括|参观|学习|参加|出席|走访|慰问|前往|推动|加强|提供|服务于"
)


def _is_organization(text: str) -> bool:
    core = _TRAILING_BRACKET.sub("", text)
    return (
        len(core) >= 2
        and bool(_ORG_CHARS.fullmatch(core))
        and core.endswith(ORG_ENDINGS)
        and not any(word in core for word in ("在", "了", "将", "要", "是"))
        and not _VERB_IN_NAME.search(core)
    )


@lru_cache(maxsize=2048)
def _classify(item: str) -> _Mention:
    item = _TRAILING_ETC.sub("", _LEADING_CONNECTOR.sub("", item.strip()))
    if not item:
        return _Mention("unknown", item)
    if _is_place(item):
        return _Mention("place", item)
    if person := _parse_person(item):
        return _Mention("person", person[1], person[0])
    for marker in GROUP_MARKERS:
        if item.endswith(marker) and len(item) > len(marker):
            body = item[: -len(marker)]
            if _is_organization(body) and not _is_vague(body):
                return _Mention("organization", body)
            return _Mention("group", item)
    if _is_vague(item) or item.endswith(GROUP_NOUNS):
        return _Mention("group", item)
    if item.endswith(TITLE_WORDS):
        return _Mention("post", item)
    if _is_organization(item):
        return _Mention("organization", item)
    return _Mention("unknown", item)


def _bracket_depth(text: str) -> int:
    return sum(char in _OPENERS for char in text) - sum(char in _CLOSERS for char in text)


def _split_at_conjunction(piece: str) -> list[str]:
    # 和 joins two items only if both sides stand alone; otherwise it belongs to a name
    # (浙江六和律师事务所, 王和平).
    for match in _CONJUNCTION.finditer(piece):
        left, right = piece[: match.start()], piece[match.end() :]
        if not left or not right or _bracket_depth(left) > 0:
            continue
        rest = _split_at_conjunction(right)
        if all(_classify(part).kind != "unknown" for part in (left, *rest)):
            return [left, *rest]
    return [piece]


def split_enumeration(text: str) -> list[str]:
    """Split '北京、上海、新疆司法厅(局)和湖南…党支部' into its items.

    Splits at 、 and at 和/及/与 where both sides stand alone; never inside brackets, so
    各省(区、市) stays one item.
    """
    items: list[str] = []
    for piece in _split_outside_brackets(_normalize(text), "、"):
        items.extend(_split_at_conjunction(piece))
    return items


def _distributable_head(org: str) -> tuple[str, str] | None:
    """For 新疆司法厅(局) give ('', '司法厅(局)'); for 朝阳区律师协会 give ('区', '律师协会')."""
    for start in range(2, min(len(org), 10)):
        if org.startswith(GENERIC_HEADS, start):
            place_end = org[start - 1]
            return (place_end if place_end in "省市区县" else ""), org[start:]
    return None


def _resolve(mentions: list[_Mention]) -> list[tuple[Kind, str, str]]:
    """Turn classified items into (kind, name, post), sharing what the report writes once.

    A post covers the bare names after it (部党组成员、副部长张苏军、郝赤勇), and the head
    of an organisation covers the bare places before it (北京、上海、新疆司法厅(局)).
    """
    found: list[tuple[Kind, str, str]] = []
    post_parts: list[str] = []  # 部党组成员 in 部党组成员、副部长张苏军
    shared_post = ""
    waiting: list[_Mention] = []  # bare places and names: places if an org head follows

    def flush(next_org: str = "") -> None:
        head = _distributable_head(next_org) if next_org else None
        # Bare names become places only beside a known place or before a district head
        # (海淀、长宁、朝阳区律师协会); 张三、李四和北京市律师协会 stays two people.
        if head and not (any(m.kind == "place" for m in waiting) or head[0] in "区县"):
            head = None
        for mention in waiting:
            if head:
                admin, rest = head
                joiner = "" if mention.text.endswith(admin) else admin
                found.append(("organization", mention.text + joiner + rest, ""))
            elif mention.kind == "person":
                found.append(("person", mention.text, ""))
        waiting.clear()

    for mention in mentions:
        if mention.kind == "person" and (mention.post or post_parts):
            flush()
            shared_post = "、".join(part for part in (*post_parts, mention.post) if part)
            found.append(("person", mention.text, shared_post))
            post_parts = []
        elif mention.kind == "person" and shared_post:
            found.append(("person", mention.text, shared_post))
        elif mention.kind in ("person", "place"):
            waiting.append(mention)
        elif mention.kind == "organization":
            flush(mention.text)
            found.append(("organization", mention.text, ""))
            shared_post, post_parts = "", []
        elif mention.kind == "post":
            flush()
            post_parts.append(mention.text)
            shared_post = ""
        else:
            flush()
            shared_post, post_parts = "", []
    flush()
    return found


def _mark_unlisted_places(mentions: list[_Mention]) -> list[_Mention]:
    # Short unknown words in front of a shared head are places no list knows (海淀、朝阳区律协).
    marked = list(mentions)
    for index in range(len(marked) - 2, -1, -1):
        mention, after = marked[index], marked[index + 1]
        leads_to_head = (
            after.kind == "place"
            or (after.kind == "person" and not after.post)
            or (after.kind == "organization" and _distributable_head(after.text) is not None)
        )
        if mention.kind == "unknown" and _SHORT_WORD.fullmatch(mention.text) and leads_to_head:
            marked[index] = _Mention("place", mention.text)
    return marked


def _parse_subject(text: str) -> list[tuple[Kind, str, str]] | None:
    """Who a clause is about; None when any item is neither a name, organisation nor group."""
    items: list[str] = []
    for item in split_enumeration(text):
        run = _split_run(item) if _classify(item).kind == "unknown" else None
        items.extend(run or [item])
    mentions = _mark_unlisted_places([_classify(item) for item in items])
    if not mentions or any(mention.kind == "unknown" for mention in mentions):
        return None
    return _resolve(mentions)


# --- Roles ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    role: Role
    kind: Kind
    name: str
    post: str


def _match_role(clause: str) -> tuple[Role, list[tuple[Kind, str, str]], bool, bool] | None:
    """(role, people, also spoke, may extend to earlier clauses) for one clause."""
    if (hosted := _HOSTED_BY.search(clause)) and (people := _parse_subject(hosted["who"])):
        return "host", people, bool(_ALSO_SPOKE.match(clause, hosted.end())), False
    for start in range(1, len(clause)):
        subject: list[tuple[Kind, str, str]] | None = None
        for role, tail in _TAILS:
            if not (match := tail.match(clause, start)):
                continue
            if subject is None:
                subject = _parse_subject(clause[:start])
                if subject is None and (group := _GROUP_AFTER_PEOPLE.search(clause, 0, start)):
                    subject = _parse_subject(clause[: group.start()])
                if subject is None:
                    break  # the text before this position is not a list of names
            if (
                tail in _PEOPLE_ONLY_TAILS
                and subject
                and all(kind != "person" for kind, _, _ in subject)
            ):
                continue  # 司法部对…: an organisation doing something is no participant
            if subject or role in _GROUPS_ALLOWED:
                spoke = role in ("host", "attendee") and bool(
                    _ALSO_SPOKE.match(clause, match.end())
                )
                return role, subject, spoke, True
    return None


_HONORIFIC_AFTER = re.compile(f"(?:{'|'.join(HONORIFICS)})$")


def _verb_opens_next(
    clauses: list[str], index: int
) -> tuple[Role, list[tuple[Kind, str, str]], bool, bool] | None:
    """People alone in a clause, their visit or attendance in the next one: 政法委书记唐海兵,
    到律师事务所调研 — as ``_match_role`` gives it, or None."""
    if index + 1 >= len(clauses):
        return None
    following = clauses[index + 1]
    if not (_ATTENDEE_TAIL.match(following) or _VISIT_TAIL.match(following)):
        return None
    people = _parse_subject(clauses[index])
    if not people or any(kind != "person" for kind, _, _ in people):
        return None
    return "attendee", people, False, True


def _elected(sentence: str) -> list[_Found]:
    """选举张建农为会长、卢春凤、陈小平为副会长,周宝星为监事长: names, each with its post."""
    found: list[_Found] = []
    for election in re.finditer(r"选举(?:产生)?了?以?|产生了?以", sentence):
        pieces = re.split(r"为|担任", sentence[election.end() :])
        names_text = pieces[0]
        for piece in pieces[1:]:
            # 以夏勇明为会长…为副会长的新一届理事会: the last post ends before 的.
            post = re.split(r"[、,的]", piece, maxsplit=1)[0]
            next_names = piece[len(post) + 1 :]
            # 选举宋华律师为主席: the honorific is not part of the name.
            names = [_HONORIFIC_AFTER.sub("", name) for name in re.split(r"[、,]", names_text)]
            if not post or not all(_is_name(name) for name in names):
                break
            found += _attending([("person", name, post) for name in names])
            names_text = next_names
        if found:
            return found
    return found


def _attending(people: list[tuple[Kind, str, str]]) -> list[_Found]:
    return [_Found("attendee", kind, name, post) for kind, name, post in people]


def _found_in_sentence(sentence: str) -> list[_Found]:
    clauses = [_ADVERBIAL.sub("", clause) for clause in _split_outside_brackets(sentence, ",:")]
    taken = [False] * len(clauses)
    found: list[_Found] = _elected(sentence)
    for match in _LED_BY.finditer(sentence):
        groups = [_parse_subject(part) for part in match["who"].split(",")]
        if all(groups):
            found += _attending([item for group in groups for item in group or []])
    for index, clause in enumerate(clauses):
        if intro := _LIST_INTRO.match(clause):
            # The list may begin in the same clause: 参加会议的还有秘书长陈舒和副秘书长郑锋.
            if rest := clause[intro.end() :]:
                people = _parse_subject(rest)
                if people is None:
                    continue
                taken[index] = True
                found += _attending(people)
            for later in range(index + 1, len(clauses)):
                people = _parse_subject(clauses[later])
                if people is None:
                    break
                taken[later] = True
                found += _attending(people)
        for visit in _VISITED.finditer(clause):
            found += _attending(_parse_subject(visit["who"]) or [])
    for index, clause in enumerate(clauses):
        if taken[index]:
            continue
        if not (hit := _match_role(clause)) and not (hit := _verb_opens_next(clauses, index)):
            continue
        role, people, spoke, extends = hit
        # Names before a comma share the verb: 司法部…陈训秋,部党组成员、副部长张苏军…出席.
        back = index - 1
        while extends and back >= 0 and not taken[back]:
            earlier = _parse_subject(clauses[back])
            if earlier is None:
                break
            people = earlier + people
            taken[back] = True
            back -= 1
        taken[index] = True
        for kind, name, post in people:
            found.append(_Found(role, kind, name, post))
            if spoke and kind == "person":
                found.append(_Found("speaker", kind, name, post))
    return found


def _collect(found: list[_Found]) -> tuple[list[SpeechProposal], list[ParticipantProposal]]:
    # A name mentioned again without its post (刘明在讲话中…) or with part of it (刘明局长)
    # keeps the fullest post written for it.
    posts: dict[str, str] = {}
    for item in found:
        if item.kind == "person" and len(item.post) > len(posts.get(item.name, "")):
            posts[item.name] = item.post
    participants: dict[tuple[str, Role, Kind], ParticipantProposal] = {}
    for item in found:
        post = item.post
        fullest = posts.get(item.name, "") if item.kind == "person" else ""
        if not post or (post != fullest and post in fullest):
            post = fullest
        key = (item.name, item.role, item.kind)
        if key not in participants:
            participants[key] = ParticipantProposal(
                item.name, post, item.role, item.kind, len(participants)
            )
        elif post and not participants[key].post:
            participants[key] = replace(participants[key], post=post)
    speeches = [
        SpeechProposal(p.name, p.post)
        for p in participants.values()
        if p.role == "speaker" and p.kind == "person"
    ]
    return speeches, list(participants.values())


# --- Event ------------------------------------------------------------------------------


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return int("".join(str(_CN_DIGITS[char]) for char in text))
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _parse_when(when: str, published_on: date | None) -> tuple[PartialDate | None, list[str]]:
    parts = _DATE_PARTS.search(when)
    if parts is None:
        return None, [f"会议日期写作“{when}”,未写明具体日期"]
    year = _number(parts["year"]) if parts["year"] else None
    month, day = _number(parts["month"]), _number(parts["day"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None, [f"会议日期“{when}”无法识别"]
    notices = []
    if year is None:
        # The publication year is often wrong for legacy reports (the seed: 2014 vs 2010).
        notices.append("会议日期未写明年份")
        if published_on:
            notices.append(
                f"发布日期为{published_on.year}年{published_on.month}月{published_on.day}日,"
                "会议年份不一定相同,未据此推定"
            )
    elif published_on and (year, month, day) > (
        published_on.year,
        published_on.month,
        published_on.day,
    ):
        notices.append("会议日期晚于发布日期,请核对")
    if parts["range"]:
        notices.append("会议持续多日,日期取首日")
    return PartialDate(year, month, day), notices


def _find_event(
    sentences: list[str], published_on: date | None
) -> tuple[EventProposal | None, list[str]]:
    for sentence in sentences:
        clauses = _split_outside_brackets(sentence, ",")
        for index, clause in enumerate(clauses):
            if _FUTURE.search(clause):
                continue
            match = _EVENT_ORGANIZER_FIRST.match(clause) or _EVENT_NAMED_FIRST.match(clause)
            if match is None:
                continue
            groups = match.groupdict()
            when = groups.get("lead") or groups["when"]
            if not when and index > 0 and _WHEN_ONLY.fullmatch(clauses[index - 1]):
                when = clauses[index - 1]  # 2023年11月9日,市律师协会在…召开…
            if not when and not match["place"]:
                continue  # a slogan (扎实开展…活动) or headline, not the report of a meeting
            day, notices = _parse_when(when, published_on) if when else (None, ["会议日期未写明"])
            return EventProposal(match["name"], day, (match["place"] or "").strip()), notices
    return None, []


# --- Entry point ------------------------------------------------------------------------


def _sentences(text: str) -> list[str]:
    sentences = []
    for line in text.splitlines():
        if "。" not in line and "," not in line and "，" not in line:
            line = re.sub(r"\s+", ",", line.strip())  # a headline: spaces part its phrases
        line = _normalize(line).strip()
        if not line or _METADATA_LINE.match(line):
            continue
        for sentence in _split_outside_brackets(line, "。!?;"):
            if sentence := _LEAD_IN.sub("", sentence).strip():
                sentences.append(sentence)
    return sentences


def _reads_as_announcement(text: str) -> bool:
    lines = [line.strip() for line in _normalize(text).splitlines() if line.strip()]
    return bool(lines) and (
        bool(_NOT_A_REPORT.search("\n".join(lines))) or bool(_NOT_A_REPORT_TITLE.search(lines[0]))
    )


def extract(text: str, published_on: date | None = None) -> Extraction:
    """Propose the event, speeches and participants of a meeting report.

    `text` is plain text with paragraphs on separate lines (a headline and byline line are
    tolerated). `published_on` is only used to warn: a report published in 2014 may describe
    a meeting of 2010, so a missing year stays missing.
    """
    if _reads_as_announcement(text):
        return Extraction()
    sentences = _sentences(text)
    event, notices = _find_event(sentences, published_on)
    found = [item for sentence in sentences for item in _found_in_sentence(sentence)]
    speeches, participants = _collect(found)
    if event is None and not participants:
        return Extraction()
    if event is None:
        notices.append("未找到会议名称和日期,人员建议仅供参考")
    return Extraction(event, speeches, participants, notices)
