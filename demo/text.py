"""Chinese text in the genre of the association's news, built from phrase banks, for demo data.

Plain Python, no Django: every function takes a ``random.Random`` and returns strings, so a
seed gives the same text on every run and machine. The banks hold what the site's real
articles are made of (meeting reports, notices, party-building reports, speeches): subjects,
modal verbs, verb-object phrases of the 律师行业, purposes, headings, places and the topics
of each period, so that jieba's words and the search bigrams are those of real news.

Names of people, firms and branches come from the caller (they are rows in the database);
``Participant`` carries a name with the post held at the time.

Bodies are ``MIN_BODY`` to ``MAX_BODY`` characters, counted over the paragraphs without line
breaks. The text uses Chinese characters, ASCII digits and the Chinese punctuation in
``PUNCTUATION`` only: no markup, no Latin letters.
"""

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

MIN_BODY = 1000
MAX_BODY = 3000
# What the text may contain besides Chinese characters and ASCII digits.
PUNCTUATION = "，。、；：！？“”《》（）—　"

LEAD_IN = "本网讯　"


class Participant(NamedTuple):
    """A person as a report names them: the name and the post held at the time."""

    name: str
    post: str = ""

    @property
    def styled(self) -> str:
        """The post then the name, as reports write it: 市司法局局长王某."""
        return f"{self.post}{self.name}"


@dataclass(frozen=True)
class Text:
    title: str
    paragraphs: tuple[str, ...]
    subtitle: tuple[str, ...] = ()

    @property
    def length(self) -> int:
        return sum(len(paragraph) for paragraph in self.paragraphs)


@dataclass(frozen=True)
class Meeting:
    """What a report says about an event: name, day, place and who did what."""

    name: str
    day: datetime.date
    place: str
    host: Participant | None = None
    speakers: tuple[Participant, ...] = ()
    attendees: tuple[Participant, ...] = ()
    presenters: tuple[str, ...] = ()
    theme: str = ""


# --- Banks ---------------------------------------------------------------------------------

DISTRICTS = (
    "福田区",
    "罗湖区",
    "南山区",
    "宝安区",
    "龙岗区",
    "盐田区",
    "龙华区",
    "坪山区",
    "光明区",
)

BODIES = (
    "司法部",
    "省司法厅",
    "市司法局",
    "中华全国律师协会",
    "省律师协会",
    "市中级人民法院",
    "市人民检察院",
    "市公安局",
    "市委政法委",
    "市法律援助处",
)

CITIES = ("北京", "上海", "广州", "杭州", "南京", "成都", "武汉", "长沙", "重庆", "西安", "厦门",
          "天津", "青岛", "苏州", "香港", "澳门")  # fmt: skip

RED_SITES = ("井冈山", "延安", "西柏坡", "遵义", "韶山", "古田", "瑞金", "嘉兴南湖", "红岩村",
             "东江纵队纪念馆", "革命烈士陵园", "廉政教育基地")  # fmt: skip

VENUES = ("市律师协会会议中心", "市律师协会培训中心", "市民中心", "市司法局会议室",
          "市委党校", "市律师行业党群服务中心", "市会展中心", "市律师协会多功能厅",
          "市法律援助中心")  # fmt: skip

PRACTICE_AREAS = ("刑事辩护", "公司并购", "知识产权", "破产重整", "涉外法律服务", "劳动争议",
                  "婚姻家庭", "建设工程", "金融证券", "数据合规", "海商海事", "房地产",
                  "行政诉讼", "税务", "反垄断", "环境资源", "国际仲裁", "医疗纠纷")  # fmt: skip

SUBJECTS = ("各级律师协会", "全市各律师事务所", "广大律师", "全市律师", "律师行业各级党组织",
            "各律师事务所党支部", "各专门委员会和专业委员会", "各区律师工作委员会", "全体律师党员",
            "青年律师", "律师事务所主任", "协会秘书处", "各级司法行政机关", "全体理事",
            "律师事务所管理合伙人", "公职律师和公司律师", "法律援助律师", "党员律师",
            "市律协各部门", "律师行业党委各委员")  # fmt: skip

MODALS = ("要", "要进一步", "要切实", "要始终", "要不断", "要积极", "必须", "必须始终", "应当",
          "要继续", "要着力", "要认真", "要主动", "要坚持")  # fmt: skip

ACTIONS = (
    "加强律师行业党的建设", "推进律师行业党的组织和党的工作全覆盖",
    "坚持党对律师工作的全面领导", "提高律师队伍政治素质和业务素质", "规范律师执业行为",
    "加强律师职业道德和执业纪律建设", "完善律师执业权利保障机制", "维护律师合法执业权益",
    "健全律师行业自律管理制度", "推进律师事务所规范化建设", "提升法律服务质量和水平",
    "积极参与公益法律服务", "认真履行法律援助义务", "做好政府和企业法律顾问工作",
    "参与涉法涉诉信访案件化解", "参与矛盾纠纷多元化解", "服务经济社会高质量发展",
    "服务保障和改善民生", "服务法治化营商环境建设", "加强涉外法律服务人才培养",
    "拓展涉外法律服务业务", "推进公共法律服务体系建设", "落实律师执业年度考核制度",
    "加强对青年律师的培养和引导", "加强律师执业风险防范", "严肃查处违法违规执业行为",
    "建立健全投诉处理机制", "发挥律师事务所党组织的政治核心作用",
    "发挥党员律师的先锋模范作用", "发挥基层党组织的战斗堡垒作用",
    "建立健全“三会一课”制度", "完善组织生活会制度", "认真开展民主评议党员工作",
    "扎实开展主题党日活动", "推动党建工作与业务工作深度融合", "加强律师行业文化建设",
    "弘扬社会主义核心价值观", "加强律师行业宣传工作", "讲好律师故事", "加强律师行业信息化建设",
    "推进智慧律协建设", "提升协会服务会员的能力和水平", "加强律师行业人才培养",
    "完善律师继续教育体系", "组织开展执业技能培训", "加强与司法机关的沟通协调",
    "构建律师与法官检察官良性互动关系", "推动律师参与立法和社会治理",
    "做好刑事案件律师辩护全覆盖工作", "做好值班律师工作", "参与人民调解和行业调解",
    "做好律师调解工作", "深入开展一村（社区）一法律顾问工作", "积极履行社会责任",
    "加强律师行业廉洁从业教育", "落实全面从严治党主体责任", "加强律师行业意识形态工作",
    "深化律师制度改革", "推进律师行业高质量发展", "提升律师事务所内部管理水平",
    "加强律师事务所品牌建设", "推进律师专业化分工", "完善律师惩戒工作程序",
    "加强行业规则制定", "宣传贯彻《中华人民共和国律师法》", "学习贯彻《律师执业行为规范》",
    "加强理事会和常务理事会建设", "密切联系服务会员", "倾听广大律师的意见和建议",
    "关心律师的工作和生活", "做好律师权益保障工作", "完善律师事务所管理制度",
    "落实律师事务所对律师的管理责任", "加强实习律师管理", "严把律师队伍入口关",
    "强化律师行业诚信建设", "推进律师执业信息公开", "做好重大敏感案件的报告备案工作",
    "增强政治意识、大局意识", "提高依法执业、规范执业的自觉性", "加强调查研究",
    "创新工作方式方法", "抓好各项工作任务的落实", "总结推广先进经验和典型做法",
)  # fmt: skip

PURPOSES = (
    "努力为全市经济社会发展提供优质高效的法律服务", "为建设法治城市作出新的更大贡献",
    "推动律师事业持续健康发展", "切实维护社会公平正义", "不断增强人民群众的获得感和满意度",
    "为推进全面依法治国贡献律师力量", "确保各项工作任务落到实处",
    "把律师行业党建工作提高到一个新水平", "树立律师队伍良好社会形象",
    "促进律师行业健康有序发展", "为维护社会和谐稳定发挥积极作用",
    "推动律师工作再上新台阶", "更好地服务人民群众", "营造风清气正的执业环境",
    "形成齐抓共管、通力协作的良好工作格局", "为全市律师执业创造良好条件",
)  # fmt: skip

MANNERS = ("紧密结合律师工作实际", "坚持问题导向", "突出工作重点", "强化责任担当", "统筹兼顾",
           "加强组织领导", "创新工作载体", "坚持以人民为中心", "立足本职岗位",
           "按照上级的部署要求", "坚持稳中求进")  # fmt: skip

OPENERS = ("会议指出", "会议强调", "会议要求", "会议认为", "与会同志一致认为", "会议提出",
           "会上还指出", "会议号召")  # fmt: skip

SPEAKER_VERBS = (
    "指出",
    "强调",
    "要求",
    "表示",
    "在讲话中指出",
    "充分肯定了",
    "对下一步工作提出要求",
)

# Figures of a year's work, each with the ranges that keep its numbers plausible.
ACHIEVEMENTS = (
    ("{year}年，全市律师共办理各类诉讼案件{n1}件，非诉讼法律事务{n2}件，法律援助案件{n3}件",
     (40000, 160000), (10000, 60000), (2000, 12000)),
    ("截至{year}年底，全市共有执业律师{n1}人，律师事务所{n2}家，其中党员律师{n3}人",
     (8000, 22000), (600, 2100), (2000, 7000)),
    ("{year}年，全市律师共为{n1}个村（社区）担任法律顾问，提供公益法律服务{n2}次，"
     "接待群众咨询{n3}人次", (300, 900), (2000, 20000), (10000, 90000)),
    ("{year}年，协会共举办各类业务培训{n1}期，培训律师{n2}人次，其中青年律师{n3}人次",
     (30, 200), (8000, 40000), (2000, 12000)),
    ("{year}年，协会共受理投诉{n1}件，已全部办结，对{n3}名律师作出行业处分",
     (200, 900), (0, 0), (5, 60)),
    ("{year}年，全市律师为{n1}家企业提供法律顾问服务，参与化解矛盾纠纷{n2}件，"
     "开展普法宣传{n3}场", (3000, 20000), (1000, 9000), (200, 3000)),
)  # fmt: skip

CLOSINGS = (
    "与会人员纷纷表示，将认真贯彻落实会议精神，以更加饱满的热情和更加务实的作风，"
    "扎实做好各项工作。",
    "会议号召，全市广大律师要进一步统一思想、凝聚共识，锐意进取、扎实工作，"
    "推动律师事业持续健康发展。",
    "大家表示，此次活动形式新颖、内容丰富，受到了很好的教育，"
    "今后将立足本职，更好地服务人民群众。",
    "会议在热烈的气氛中圆满结束。",
    "此次会议的召开，为做好下一阶段工作指明了方向，明确了任务。",
)  # fmt: skip

# Topics of each period: (first year, last year, topic). They name the campaigns of the time.
ERA_TOPICS = (
    (2005, 2006, "保持共产党员先进性教育活动"),
    (2006, 2008, "社会主义荣辱观教育"),
    (2008, 2010, "深入学习实践科学发展观活动"),
    (2010, 2012, "创先争优活动"),
    (2012, 2016, "学习贯彻党的十八大精神"),
    (2013, 2014, "党的群众路线教育实践活动"),
    (2015, 2015, "“三严三实”专题教育"),
    (2016, 2017, "“两学一做”学习教育"),
    (2017, 2021, "学习贯彻党的十九大精神"),
    (2019, 2020, "“不忘初心、牢记使命”主题教育"),
    (2021, 2021, "党史学习教育"),
    (2022, 2027, "学习贯彻党的二十大精神"),
    (2023, 2023, "学习贯彻新时代中国特色社会主义思想主题教育"),
    (2024, 2024, "党纪学习教育"),
)

PARTY_TOPICS = (
    "学习《中国共产党章程》", "重温入党誓词", "学习《中国共产党纪律处分条例》",
    "廉洁从业警示教育", "参观革命传统教育基地", "开展志愿服务", "公益法律服务进社区",
    "党员律师公开承诺", "缅怀革命先烈", "学习《中华人民共和国律师法》", "学习先进典型事迹",
    "观看专题教育片", "开展法律咨询义诊", "走访慰问困难群众", "交流学习心得体会",
    "学习《中国共产党支部工作条例（试行）》", "开展党员先锋岗创建", "讨论支部年度工作计划",
    "研究发展党员工作", "收缴党费", "学习上级党委文件精神", "开展批评与自我批评",
)  # fmt: skip

HEADINGS = (
    "提高政治站位，切实增强做好律师工作的责任感和使命感",
    "突出工作重点，扎实推进律师行业党的建设", "坚持问题导向，全面提升律师队伍整体素质",
    "加强组织领导，确保各项任务落到实处", "围绕中心工作，服务经济社会发展大局",
    "坚持执业为民，努力满足人民群众法律服务需求", "强化行业管理，促进律师依法诚信执业",
    "深化改革创新，推动律师事业高质量发展", "加强自身建设，提升协会服务能力",
    "坚持从严治党，加强律师队伍作风建设",
)  # fmt: skip

NOTICE_SUBJECTS = (
    "开展{year}年度律师事务所和律师执业年度考核工作", "举办{year}年新执业律师岗前培训班",
    "举办{area}业务培训班", "开展{year}年度优秀律师事务所和优秀律师评选表彰活动",
    "做好{year}年度会员会费收缴工作", "召开{year}年度会员代表大会",
    "开展律师行业“{era}”相关工作", "征集{year}年度律师行业调研课题",
    "组织参加{year}年全国律师实务论坛", "开展{year}年度律师事务所党组织书记培训",
    "推荐{year}年度{area}专业委员会委员", "做好律师执业信息年度公示工作",
    "举办{area}实务研讨会", "开展公益法律服务活动", "做好节假日期间值班律师工作",
    "调整{year}年度继续教育学时要求", "开展律师事务所党组织换届选举工作",
)  # fmt: skip

NOTICE_KINDS = (("通知", 6), ("公告", 2), ("公示", 1))

LAWS = ("《中华人民共和国律师法》", "《律师执业管理办法》", "《律师事务所管理办法》",
        "《律师执业行为规范》", "《律师协会会员违规行为处分规则》", "本会章程",
        "《中国共产党支部工作条例（试行）》", "《律师事务所年度检查考核办法》")  # fmt: skip

NOTICE_SECTIONS = ("工作目标", "时间安排", "工作内容", "参加对象", "有关要求", "报名方式",
                   "评选条件", "材料报送", "组织领导", "注意事项")  # fmt: skip

ADDRESSEES = ("各区律师工作委员会、各律师事务所：", "全市各律师事务所、全体律师：",
              "各律师事务所党组织：", "各专门委员会、各专业委员会：")  # fmt: skip

INDUSTRY_TITLES = (
    "司法部召开{year}年全国律师工作会议", "全国律协发布《律师办理{area}业务操作指引》",
    "{city}律师协会举办{area}高峰论坛", "全国律师行业{era}推进会召开",
    "司法部部署开展律师行业专项整治工作", "{city}律师行业党建工作经验交流会召开",
    "全国律协召开{year}年度会长会议", "省司法厅部署{year}年律师工作",
    "{city}出台加强律师执业权利保障的若干措施", "全国律师行业先进典型事迹报告会举行",
    "中华全国律师协会{area}专业委员会年会召开", "{city}推进公共法律服务体系建设取得新进展",
)  # fmt: skip

ASSOCIATION_TITLES = (
    "市律协举办{year}年{area}业务培训班", "市律协组团赴{city}开展交流学习",
    "市律协召开{area}业务座谈会", "{district}律师工作委员会召开{year}年工作会议",
    "市律协{area}专业委员会举办研讨会", "市律协开展“律师进社区”公益法律服务活动",
    "市律协召开青年律师座谈会", "市律协举办律师执业权利保障工作座谈会",
    "市律协走访调研{district}律师事务所", "市律协举办{year}年律师运动会",
    "市律协召开第{n}届理事会第{m}次会议", "市律协举办新执业律师宣誓仪式",
)  # fmt: skip

# (what the report does, "会议" or "活动") for each kind of branch activity.
ACTIVITY_PHRASES = {
    "general_meeting": ("召开支部党员大会", "会议"),
    "committee_meeting": ("召开支委会", "会议"),
    "group_meeting": ("召开党小组会", "会议"),
    "party_lecture": ("举办专题党课", "党课"),
    "themed_day": ("开展主题党日活动", "活动"),
    "organizational_life_meeting": ("召开年度组织生活会", "会议"),
    "member_appraisal": ("开展民主评议党员工作", "活动"),
    "other": ("开展党建活动", "活动"),
}

EXCUSES = ("外出办案", "出庭", "出差", "身体原因", "家中有事", "参加培训")

SUBTITLE_FIRSTS = ("扎实开展", "深入推进", "全面加强", "持续深化", "认真落实", "积极推动")
SUBTITLE_SECONDS = ("律师行业创先争优活动", "律师行业党的建设", "律师队伍建设", "公益法律服务",
                    "律师执业权利保障", "律师行业规范管理", "涉外法律服务")  # fmt: skip

CHINESE_NUMBERS = "一二三四五六七八九十"


# --- Small pieces --------------------------------------------------------------------------


def _pick(rng: random.Random, items: Sequence):
    """``rng.choice``, at a third of its cost: a hundred thousand articles make millions."""
    return items[int(rng.random() * len(items))]


def month_day(day: datetime.date) -> str:
    return f"{day.month}月{day.day}日"


def full_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def era_topic(rng: random.Random, year: int) -> str:
    """A campaign or study topic of ``year``, or "" when no topic of that year is known."""
    topics = [topic for first, last, topic in ERA_TOPICS if first <= year <= last]
    return _pick(rng, topics) if topics else ""


def party_topic(rng: random.Random, year: int) -> str:
    """The topic of a branch activity held in ``year``."""
    topic = era_topic(rng, year) if rng.random() < 0.4 else ""
    return topic or _pick(rng, PARTY_TOPICS)


def place(rng: random.Random) -> str:
    return _pick(rng, VENUES) if rng.random() < 0.8 else _pick(rng, CITIES + RED_SITES)


# The secretariat's lines: notices give one of them.
PHONES = tuple(f"8{3301200 + 17 * n}" for n in range(12))


def phone(rng: random.Random) -> str:
    return _pick(rng, PHONES)


def _numbered(index: int) -> str:
    return CHINESE_NUMBERS[index] if index < 10 else str(index + 1)


# An article keeps to its subject: it draws on a few phrases of each bank, not all of them,
# so that a phrase such as 加强律师行业党的建设 is in some articles, not in nearly every one.
VOICE_SIZES = {"subjects": 6, "actions": 24, "purposes": 5, "manners": 4}


class _Voice:
    """The phrases one article draws on, and the sentences it makes of them."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.subjects = rng.sample(SUBJECTS, VOICE_SIZES["subjects"])
        self.actions = rng.sample(ACTIONS, VOICE_SIZES["actions"])
        self.purposes = rng.sample(PURPOSES, VOICE_SIZES["purposes"])
        self.manners = rng.sample(MANNERS, VOICE_SIZES["manners"])

    def action(self) -> str:
        return _pick(self.rng, self.actions)

    def purpose(self) -> str:
        return _pick(self.rng, self.purposes)

    def manner(self) -> str:
        return _pick(self.rng, self.manners)

    def modal_action(self) -> str:
        """要切实加强律师行业党的建设, never 要积极积极参与."""
        modal, action = _pick(self.rng, MODALS), self.action()
        if len(modal) > 1 and action.startswith(modal[-2:]):
            modal = "要"
        return modal + action

    def statement(self) -> str:
        """One clause: 各级律师协会要切实加强律师行业党的建设."""
        return _pick(self.rng, self.subjects) + self.modal_action()

    def sentence(self) -> str:
        roll = self.rng.random()
        if roll < 0.35:
            return f"{self.statement()}，{self.modal_action()}，{self.purpose()}。"
        if roll < 0.6:
            return f"{self.manner()}，{self.action()}，{self.action()}。"
        if roll < 0.85:
            return f"{self.statement()}，{self.purpose()}。"
        return f"{self.statement()}、{self.action()}。"

    def enumeration(self) -> str:
        count = self.rng.randint(3, 5)
        items = "；".join(
            f"{_numbered(i)}是{self.modal_action().removeprefix('要')}" for i in range(count)
        )
        return items + "。"


def _achievement(rng: random.Random, year: int) -> str:
    template, *ranges = _pick(rng, ACHIEVEMENTS)
    n1, n2, n3 = (_rounded(rng.randint(low, high)) for low, high in ranges)
    return template.format(year=year, n1=n1, n2=n2, n3=n3) + "。"


def _rounded(number: int) -> str:
    """A figure as reports give it: two significant digits, 余 when rounded (53000余)."""
    if number < 100:
        return str(number)
    scale = 10 ** (len(str(number)) - 2)
    return f"{number // scale * scale}余"


def _filler(voice: _Voice, speakers: Sequence[Participant], year: int) -> str:
    """A paragraph of a report: what the meeting or a speaker said."""
    rng = voice.rng
    roll = rng.random()
    if speakers and roll < 0.45:
        who = _pick(rng, speakers).name
        head = f"{who}{_pick(rng, SPEAKER_VERBS)}，"
    else:
        head = f"{_pick(rng, OPENERS)}，"
    if roll > 0.9:
        return f"{_achievement(rng, year)}{voice.sentence()}"
    if roll > 0.75:
        return head + voice.enumeration()
    return head + "".join(voice.sentence() for _ in range(rng.randint(1, 3)))


def _fill(voice: _Voice, head: list[str], tail: list[str], make) -> tuple[str, ...]:
    """Put paragraphs from ``make()`` between head and tail until the body is long enough."""
    target = voice.rng.randint(MIN_BODY, MAX_BODY)
    body = list(head)
    total = sum(map(len, head)) + sum(map(len, tail))
    misses = 0
    while total < target and misses < 8:
        paragraph = make()
        if total + len(paragraph) > MAX_BODY:
            misses += 1
            continue
        body.append(paragraph)
        total += len(paragraph)
    while total < MIN_BODY:  # only when every try overshot; short sentences fill the gap
        sentence = voice.sentence()
        if total + len(sentence) <= MAX_BODY:
            body.append(sentence)
            total += len(sentence)
    return (*body, *tail)


def _subtitle(rng: random.Random) -> tuple[str, ...]:
    if rng.random() > 0.15:
        return ()
    return (
        _pick(rng, SUBTITLE_FIRSTS) + _pick(rng, SUBTITLE_SECONDS),
        "更好地" + _pick(rng, PURPOSES).removeprefix("努力").removeprefix("为"),
    )


# --- Events --------------------------------------------------------------------------------


def event_name(rng: random.Random, day: datetime.date) -> tuple[str, str]:
    """The name of a meeting held on ``day`` and the campaign it belongs to (or "")."""
    year = day.year
    era = era_topic(rng, year)
    area = _pick(rng, PRACTICE_AREAS)
    roll = rng.random()
    if era and roll < 0.2:
        return _pick(rng, (f"全市律师行业{era}动员大会", f"律师行业{era}座谈会")), era
    names = (
        f"{year}年全市律师工作会议",
        f"市律师协会第{rng.randint(5, 12)}届理事会第{rng.randint(1, 9)}次会议",
        f"市律师协会第{rng.randint(5, 12)}次会员代表大会",
        f"{year}年全市律师行业党建工作会议",
        f"{area}业务研讨会",
        f"{year}年新执业律师岗前培训班",
        "青年律师执业技能培训班开班仪式",
        "律师与法官检察官座谈会",
        f"{year}年度公益法律服务表彰大会",
        f"{year}年度优秀律师事务所和优秀律师表彰大会",
        f"{_pick(rng, DISTRICTS)}律师工作座谈会",
        f"{area}专业委员会年会",
    )
    return _pick(rng, names), ""


def event_description(rng: random.Random, meeting: Meeting) -> tuple[str, ...]:
    """A short note on an event: one or two paragraphs."""
    voice = _Voice(rng)
    first = f"{month_day(meeting.day)}，{meeting.name}在{meeting.place}召开。"
    if meeting.speakers:
        first += f"{meeting.speakers[0].styled}出席会议并讲话。"
    return (first, f"会议{_pick(rng, ('要求', '强调', '指出'))}，{voice.sentence()}")


# --- Articles ------------------------------------------------------------------------------


def meeting_report(rng: random.Random, meeting: Meeting) -> Text:
    """A report of a meeting (协会动态, 党建工作, 行业要闻) naming its participants."""
    voice = _Voice(rng)
    lead = f"{LEAD_IN}{month_day(meeting.day)}，{meeting.name}在{meeting.place}召开。"
    speakers = meeting.speakers
    if speakers:
        names = "、".join(speaker.styled for speaker in speakers)
        lead += f"{names}出席会议并讲话。"
    lead += voice.sentence()
    tail = []
    if meeting.presenters:
        tail.append(
            f"会上，{'、'.join(meeting.presenters)}介绍了开展"
            f"{meeting.theme or voice.action()}的做法和经验。"
        )
    tail.append(_pick(rng, CLOSINGS))
    people = [p.styled for p in meeting.attendees]
    closing = f"会议由{meeting.host.styled}主持。" if meeting.host else ""
    if people:
        closing += f"{'，'.join(people)}出席会议。"
    closing += f"{_pick(rng, SUBJECTS)}代表参加会议。"
    tail.append(closing)
    paragraphs = _fill(voice, [lead], tail, lambda: _filler(voice, speakers, meeting.day.year))
    return Text(meeting.name + "召开", paragraphs, _subtitle(rng))


def association_news(
    rng: random.Random, day: datetime.date, people: Sequence[Participant] = ()
) -> Text:
    """A 协会动态 item without a recorded event: training, visits, symposia."""
    voice = _Voice(rng)
    title = _pick(rng, ASSOCIATION_TITLES).format(
        year=day.year,
        area=_pick(rng, PRACTICE_AREAS),
        city=_pick(rng, CITIES),
        district=_pick(rng, DISTRICTS),
        n=rng.randint(5, 12),
        m=rng.randint(1, 9),
    )
    speakers = tuple(rng.sample(list(people), min(len(people), 2)))
    lead = f"{LEAD_IN}{month_day(day)}，{title}。"
    if speakers:
        lead += f"{speakers[0].styled}出席活动并讲话。"
    lead += voice.sentence()
    paragraphs = _fill(
        voice, [lead], [_pick(rng, CLOSINGS)], lambda: _filler(voice, speakers, day.year)
    )
    return Text(title, paragraphs, _subtitle(rng))


def industry_news(rng: random.Random, day: datetime.date) -> Text:
    """A 行业要闻 item: what the ministry, the national association or other cities did."""
    voice = _Voice(rng)
    title = _pick(rng, INDUSTRY_TITLES).format(
        year=day.year,
        area=_pick(rng, PRACTICE_AREAS),
        city=_pick(rng, CITIES),
        era=era_topic(rng, day.year) or "规范化建设",
    )
    lead = f"{month_day(day)}，{title}。{voice.sentence()}"
    paragraphs = _fill(voice, [lead], [_pick(rng, CLOSINGS)], lambda: _filler(voice, (), day.year))
    return Text(title, paragraphs, _subtitle(rng))


def notice(rng: random.Random, day: datetime.date, contact: str = "") -> Text:
    """A 通知公告 item: 关于…的通知, with numbered sections, a contact and the signature."""
    voice = _Voice(rng)
    kind = rng.choices([k for k, _ in NOTICE_KINDS], [w for _, w in NOTICE_KINDS])[0]
    subject = _pick(rng, NOTICE_SUBJECTS).format(
        year=day.year + (1 if day.month > 10 else 0),
        area=_pick(rng, PRACTICE_AREAS),
        era=era_topic(rng, day.year) or "规范化建设",
    )
    title = f"关于{subject}的{kind}"
    head = [
        _pick(rng, ADDRESSEES),
        f"为{voice.action()}，根据{_pick(rng, LAWS)}和{_pick(rng, LAWS)}的有关规定，"
        f"经研究，决定{subject}。现将有关事项{kind}如下：",
    ]
    sections = iter(rng.sample(NOTICE_SECTIONS, len(NOTICE_SECTIONS)))
    counter = iter(range(len(NOTICE_SECTIONS)))

    def section() -> str:
        heading = next(sections, None)
        if heading is None:
            return voice.sentence()
        items = "".join(f"（{_numbered(i)}）{voice.sentence()}" for i in range(rng.randint(1, 3)))
        return f"{_numbered(next(counter))}、{heading}：{items}"

    tail = [
        f"联系人：{contact or '协会秘书处'}，联系电话：{phone(rng)}。",
        f"特此{kind}。",
        "市律师协会",
        full_date(day),
    ]
    return Text(title, _fill(voice, head, tail, section))


def speech(rng: random.Random, speaker: Participant, meeting: Meeting) -> Text:
    """A speech at a meeting, in full: 同志们 … 一、… 二、… 同志们，…！"""
    voice = _Voice(rng)
    kind = "致辞" if rng.random() < 0.15 else "讲话"
    title = f"{speaker.name}在{meeting.name}上的{kind}"
    head = [
        "同志们：",
        f"今天，我们召开{meeting.name}，主要任务是{voice.action()}，"
        f"{voice.action()}。{voice.sentence()}下面，我讲几点意见。",
    ]
    headings = iter(rng.sample(HEADINGS, len(HEADINGS)))
    counter = iter(range(len(HEADINGS)))
    after_heading = False

    def part() -> str:
        # A heading opens each part and is followed by at least one paragraph.
        nonlocal after_heading
        heading = None if after_heading or rng.random() < 0.6 else next(headings, None)
        after_heading = heading is not None
        if heading is None:
            return "".join(voice.sentence() for _ in range(rng.randint(2, 4)))
        return f"{_numbered(next(counter))}、{heading}"

    tail = [f"同志们，让我们{voice.manner()}，{voice.purpose()}！"]
    return Text(title, _fill(voice, head, tail, part))


def activity_title(branch: str, kind: str, topic: str, year: int) -> str:
    """The title of a report of a branch activity."""
    if kind == "themed_day":
        return f"{branch}开展“{topic}”主题党日活动"
    if kind == "organizational_life_meeting":
        return f"{branch}召开{year}年度组织生活会"
    if kind == "member_appraisal":
        return f"{branch}开展{year}年度民主评议党员工作"
    phrase, _ = ACTIVITY_PHRASES.get(kind, ACTIVITY_PHRASES["other"])
    return f"{branch}{phrase}：{topic}"


def activity_report(
    rng: random.Random,
    *,
    branch: str,
    kind: str,
    topic: str,
    day: datetime.date,
    venue: str,
    presider: str,
    present: int,
) -> Text:
    """A 党建工作 article reporting one activity of a branch."""
    voice = _Voice(rng)
    phrase, noun = ACTIVITY_PHRASES.get(kind, ACTIVITY_PHRASES["other"])
    lead = (
        f"{LEAD_IN}{month_day(day)}，{branch}在{venue}{phrase}，主题为“{topic}”。"
        f"支部书记{presider}主持{noun}，{present}名党员参加。"
    )
    secretary = (Participant(presider),)
    tail = [_pick(rng, CLOSINGS)]
    paragraphs = _fill(voice, [lead], tail, lambda: _filler(voice, secretary, day.year))
    return Text(activity_title(branch, kind, topic, day.year), paragraphs)


def party_news(rng: random.Random, day: datetime.date, branch: str) -> Text:
    """A 党建工作 item about the sector's party work, not tied to a recorded activity."""
    voice = _Voice(rng)
    topic = party_topic(rng, day.year)
    title = _pick(
        rng,
        (
            f"市律师行业党委召开{day.year}年党建工作会议",
            f"{branch}开展“{topic}”主题党日活动",
            f"市律师行业党委举办{topic}专题培训班",
            f"{branch}举办专题党课：{topic}",
            f"市律师行业党委部署开展{era_topic(rng, day.year) or '党建工作'}",
        ),
    )
    lead = f"{LEAD_IN}{month_day(day)}，{title}。{voice.sentence()}"
    paragraphs = _fill(voice, [lead], [_pick(rng, CLOSINGS)], lambda: _filler(voice, (), day.year))
    return Text(title, paragraphs, _subtitle(rng))


def minutes(rng: random.Random, kind: str, topic: str, presider: str) -> tuple[str, ...]:
    """Short minutes of a branch activity (two or three paragraphs, no length floor)."""
    voice = _Voice(rng)
    _, noun = ACTIVITY_PHRASES.get(kind, ACTIVITY_PHRASES["other"])
    return (
        f"{noun}由{presider}主持，主题为“{topic}”。",
        f"{presider}指出，{voice.sentence()}",
        f"{noun}议定：{voice.enumeration()}",
    )
