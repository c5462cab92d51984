"""Hand-written passages in the genre of the bar association's reports, with what a careful
reader would record from each: the event, every named person with the post written before
the name and the role, and the organisations with their roles.

People are (name, post, role); organisations are (name, role). A person who attends and also
speaks appears once per role. The names are invented.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Passage:
    key: str
    text: str
    event_name: str | None = None
    event_date: tuple[int | None, int, int] | None = None  # (year, month, day)
    event_place: str = ""
    people: frozenset[tuple[str, str, str]] = frozenset()
    organizations: frozenset[tuple[str, str]] = frozenset()

    @property
    def reports_a_meeting(self) -> bool:
        return self.event_name is not None


COUNCIL_MEETING = Passage(
    key="council_meeting",
    text=(
        "本网讯 市律师协会第十届理事会第五次会议3月28日在律师之家召开。\n"
        "会议由市律师协会会长刘明主持。市司法局党委委员、副局长王建国出席会议并讲话。"
        "市律师协会副会长赵丽华、陈刚、孙立平，秘书长周晓东出席会议。\n"
        "会议审议通过了《市律师协会2024年工作要点》和《会员违规行为处分规则（修订稿）》。"
    ),
    event_name="市律师协会第十届理事会第五次会议",
    event_date=(None, 3, 28),
    event_place="律师之家",
    people=frozenset(
        {
            ("刘明", "市律师协会会长", "host"),
            ("王建国", "市司法局党委委员、副局长", "attendee"),
            ("王建国", "市司法局党委委员、副局长", "speaker"),
            ("赵丽华", "市律师协会副会长", "attendee"),
            ("陈刚", "市律师协会副会长", "attendee"),
            ("孙立平", "市律师协会副会长", "attendee"),
            ("周晓东", "秘书长", "attendee"),
        }
    ),
)

LAWYERS_CONGRESS = Passage(
    key="lawyers_congress_with_full_date",
    text=(
        "本网讯 市第十届律师代表大会第三次会议于2023年12月28日在市会议中心隆重召开。\n"
        "市委政法委副书记李卫东，市司法局党委书记、局长王建国出席大会并讲话。\n"
        "市律师协会会长刘明代表第十届理事会作工作报告，监事长孙立平作监事会工作报告。"
        "大会由市律师协会副会长赵丽华、陈刚共同主持。全市260余名律师代表参加会议。\n"
        "会议选举产生了出席省律师代表大会的代表。"
    ),
    event_name="市第十届律师代表大会第三次会议",
    event_date=(2023, 12, 28),
    event_place="市会议中心",
    people=frozenset(
        {
            ("李卫东", "市委政法委副书记", "attendee"),
            ("李卫东", "市委政法委副书记", "speaker"),
            ("王建国", "市司法局党委书记、局长", "attendee"),
            ("王建国", "市司法局党委书记、局长", "speaker"),
            ("刘明", "市律师协会会长", "speaker"),
            ("孙立平", "监事长", "speaker"),
            ("赵丽华", "市律师协会副会长", "host"),
            ("陈刚", "市律师协会副会长", "host"),
        }
    ),
)

THEMED_PARTY_DAY = Passage(
    key="themed_party_day",
    text=(
        "本网讯 4月15日，天地人律师事务所党支部组织全体党员赴市革命烈士纪念馆开展"
        "“追寻红色足迹”主题党日活动。\n"
        "全体党员在烈士纪念碑前重温入党誓词。支部书记张卫国为全体党员讲授了题为"
        "“律师党员如何发挥先锋模范作用”的专题党课。支部委员李娜、王磊分别结合执业经历作交流发言。"
    ),
    event_name="“追寻红色足迹”主题党日活动",
    event_date=(None, 4, 15),
    event_place="市革命烈士纪念馆",
    people=frozenset(
        {
            ("张卫国", "支部书记", "speaker"),
            ("李娜", "支部委员", "presenter"),
            ("王磊", "支部委员", "presenter"),
        }
    ),
)

TRAINING_SESSION = Passage(
    key="training_session",
    text=(
        "本网讯 3月20日至21日，市律师协会在律师培训中心举办2024年新执业律师岗前培训班。\n"
        "市律师协会副会长陈刚出席开班仪式并致辞。中国政法大学教授许建华作了题为"
        "《律师职业伦理与执业风险防范》的专题讲座，金诚律师事务所高级合伙人欧阳明远结合办案实例"
        "作了刑事辩护实务讲座。开班仪式由市律师协会秘书长周晓东主持。\n"
        "120余名新执业律师参加培训。"
    ),
    event_name="2024年新执业律师岗前培训班",
    event_date=(None, 3, 20),
    event_place="律师培训中心",
    people=frozenset(
        {
            ("陈刚", "市律师协会副会长", "attendee"),
            ("陈刚", "市律师协会副会长", "speaker"),
            ("许建华", "中国政法大学教授", "speaker"),
            ("欧阳明远", "金诚律师事务所高级合伙人", "speaker"),
            ("周晓东", "市律师协会秘书长", "host"),
        }
    ),
)

AWARD_CEREMONY = Passage(
    key="award_ceremony",
    text=(
        "本网讯 市律师协会2023年度优秀律师表彰大会1月12日下午在市民中心举行。\n"
        "市司法局副局长马晓燕，市律师协会会长刘明出席并为获奖律师颁奖。"
        "刘明在讲话中勉励广大律师珍惜荣誉、再创佳绩。\n"
        "天平律师事务所李强律师、正和律师事务所周敏律师代表获奖律师发言。"
        "大会由市律师协会副会长赵丽华主持。"
    ),
    event_name="市律师协会2023年度优秀律师表彰大会",
    event_date=(None, 1, 12),
    event_place="市民中心",
    people=frozenset(
        {
            ("马晓燕", "市司法局副局长", "attendee"),
            ("刘明", "市律师协会会长", "attendee"),
            ("刘明", "市律师协会会长", "speaker"),
            ("李强", "天平律师事务所律师", "presenter"),
            ("周敏", "正和律师事务所律师", "presenter"),
            ("赵丽华", "市律师协会副会长", "host"),
        }
    ),
)

REGIONAL_FORUM = Passage(
    key="regional_forum_with_shared_suffixes",
    text=(
        "本网讯 2024长三角律师行业发展论坛5月18日在苏州举行。"
        "江苏、浙江、安徽省律师协会和上海市律师协会共同主办本次论坛。\n"
        "上海市律师协会会长李国华、江苏省律师协会副会长钱伟和浙江省律师协会秘书长沈静出席论坛。\n"
        "论坛上，江苏、浙江省司法厅和苏州市律师协会介绍了律师行业服务区域一体化发展的做法和经验。"
        "北京金杜律师事务所合伙人宋扬、君合律师事务所合伙人韩雪作主题发言。"
    ),
    event_name="2024长三角律师行业发展论坛",
    event_date=(None, 5, 18),
    event_place="苏州",
    people=frozenset(
        {
            ("李国华", "上海市律师协会会长", "attendee"),
            ("钱伟", "江苏省律师协会副会长", "attendee"),
            ("沈静", "浙江省律师协会秘书长", "attendee"),
            ("宋扬", "北京金杜律师事务所合伙人", "presenter"),
            ("韩雪", "君合律师事务所合伙人", "presenter"),
        }
    ),
    organizations=frozenset(
        {
            ("江苏省司法厅", "presenter"),
            ("浙江省司法厅", "presenter"),
            ("苏州市律师协会", "presenter"),
        }
    ),
)

HALF_WIDTH_SALON = Passage(
    key="half_width_punctuation",
    text=(
        "本网讯(通讯员 林芳)6月6日,市律师协会青年律师工作委员会在律师之家举办青年律师成长沙龙。\n"
        "市律师协会副会长(分管青年律师工作)赵丽华出席并致辞。"
        "沙龙由青年律师工作委员会主任何俊主持。\n"
        "华信律师事务所律师方晓、汇通律师事务所律师蒋一鸣分享了执业初期的经验和体会。"
    ),
    event_name="青年律师成长沙龙",
    event_date=(None, 6, 6),
    event_place="律师之家",
    people=frozenset(
        {
            ("赵丽华", "市律师协会副会长(分管青年律师工作)", "attendee"),
            ("赵丽华", "市律师协会副会长(分管青年律师工作)", "speaker"),
            ("何俊", "青年律师工作委员会主任", "host"),
            ("方晓", "华信律师事务所律师", "presenter"),
            ("蒋一鸣", "汇通律师事务所律师", "presenter"),
        }
    ),
)

RIGHTS_FORUM = Passage(
    key="rights_protection_forum_with_year_in_lead_clause",
    text=(
        "2023年11月9日，市律师协会在市律师大厦举行律师执业权利保障工作座谈会。\n"
        "市中级人民法院副院长黄志刚、市人民检察院副检察长郑红、市公安局副局长冯军出席座谈会。"
        "市律师协会维权委员会主任委员曹建平、副主任委员蔡文，以及10名律师代表在会上发言。"
        "座谈会由市律师协会会长刘明主持。"
    ),
    event_name="律师执业权利保障工作座谈会",
    event_date=(2023, 11, 9),
    event_place="市律师大厦",
    people=frozenset(
        {
            ("黄志刚", "市中级人民法院副院长", "attendee"),
            ("郑红", "市人民检察院副检察长", "attendee"),
            ("冯军", "市公安局副局长", "attendee"),
            ("曹建平", "市律师协会维权委员会主任委员", "presenter"),
            ("蔡文", "副主任委员", "presenter"),
            ("刘明", "市律师协会会长", "host"),
        }
    ),
)

CRIMINAL_DEFENCE_SEMINAR = Passage(
    key="seminar_with_names_joined_by_he",
    text=(
        "本网讯 全市刑事辩护业务研讨会9月23日在市律师协会举行。"
        "市律师协会副会长陈刚和刑事业务委员会主任杨帆致辞。\n"
        "研讨会上，市律师协会刑事业务委员会副主任邹平、孔德明和明理律师事务所党支部"
        "分别介绍了值班律师工作的情况。"
    ),
    event_name="全市刑事辩护业务研讨会",
    event_date=(None, 9, 23),
    event_place="市律师协会",
    people=frozenset(
        {
            ("陈刚", "市律师协会副会长", "speaker"),
            ("杨帆", "刑事业务委员会主任", "speaker"),
            ("邹平", "市律师协会刑事业务委员会副主任", "presenter"),
            ("孔德明", "市律师协会刑事业务委员会副主任", "presenter"),
        }
    ),
    organizations=frozenset({("明理律师事务所党支部", "presenter")}),
)

BRANCH_GENERAL_MEETING = Passage(
    key="branch_general_meeting",
    text=(
        "本网讯 7月1日上午，市律师协会机关党支部召开支部党员大会，"
        "学习贯彻上级党组织关于加强律师行业党建工作的部署要求。\n"
        "支部书记、秘书长周晓东主持会议并讲话。市司法局机关党委副书记袁明出席会议。"
        "会上，支部委员魏红通报了上半年党费收缴情况。"
    ),
    event_name="支部党员大会",
    event_date=(None, 7, 1),
    event_place="",
    people=frozenset(
        {
            ("周晓东", "支部书记、秘书长", "host"),
            ("周晓东", "支部书记、秘书长", "speaker"),
            ("袁明", "市司法局机关党委副书记", "attendee"),
        }
    ),
)

WOMEN_LAWYERS_MEETING = Passage(
    key="meeting_reported_as_held_recently",
    text=(
        "本网讯 市律师协会女律师工作委员会日前在律师之家召开年度工作会议。\n"
        "委员会主任韩梅主持会议。市律师协会副会长赵丽华出席会议并讲话。"
        "委员会副主任姚芳、谭静先后发言。"
    ),
    event_name="年度工作会议",
    event_date=None,
    event_place="律师之家",
    people=frozenset(
        {
            ("韩梅", "委员会主任", "host"),
            ("赵丽华", "市律师协会副会长", "attendee"),
            ("赵丽华", "市律师协会副会长", "speaker"),
            ("姚芳", "委员会副主任", "presenter"),
            ("谭静", "委员会副主任", "presenter"),
        }
    ),
)

PARTY_BUILDING_CONFERENCE = Passage(
    key="party_building_conference",
    text=(
        "本网讯 全市律师行业党建工作会议2月26日在市司法局召开。"
        "市委组织部副部长邓建军在会上讲话。市司法局党委书记、局长王建国作工作部署。\n"
        "市律师行业党委书记许明主持会议。市律师行业党委副书记、市律师协会会长刘明，"
        "市律师行业党委委员潘婷和曾志强出席会议。各律师事务所党组织书记参加会议。"
    ),
    event_name="全市律师行业党建工作会议",
    event_date=(None, 2, 26),
    event_place="市司法局",
    people=frozenset(
        {
            ("邓建军", "市委组织部副部长", "speaker"),
            ("王建国", "市司法局党委书记、局长", "speaker"),
            ("许明", "市律师行业党委书记", "host"),
            ("刘明", "市律师行业党委副书记、市律师协会会长", "attendee"),
            ("潘婷", "市律师行业党委委员", "attendee"),
            ("曾志强", "市律师行业党委委员", "attendee"),
        }
    ),
)

EXPERIENCE_EXCHANGE = Passage(
    key="exchange_with_guests_and_groups",
    text=(
        "本网讯 全市律师事务所管理经验交流会8月16日在市律师协会召开。\n"
        "市律师协会副会长孙立平、赵丽华和秘书长周晓东分别介绍了律所规范化建设的有关情况。"
        "市司法局律师工作处有关负责同志应邀出席。"
        "会议由市律师协会副会长陈刚主持，部分律师事务所主任和合伙人代表参加会议。"
    ),
    event_name="全市律师事务所管理经验交流会",
    event_date=(None, 8, 16),
    event_place="市律师协会",
    people=frozenset(
        {
            ("孙立平", "市律师协会副会长", "presenter"),
            ("赵丽华", "市律师协会副会长", "presenter"),
            ("周晓东", "秘书长", "presenter"),
            ("陈刚", "市律师协会副会长", "host"),
        }
    ),
    organizations=frozenset({("市司法局律师工作处", "guest")}),
)

# --- Passages that report no meeting: nothing may be proposed. ---------------------------

FEE_NOTICE = Passage(
    key="fee_standard_notice",
    text=(
        "关于调整律师服务收费标准的通知\n"
        "各律师事务所：\n"
        "根据市发展和改革委员会、市司法局《关于律师服务收费管理有关问题的通知》，"
        "现将调整后的律师服务收费标准通知如下：\n"
        "一、代理民事诉讼案件，按件收费的，每件收费3000元至20000元。\n"
        "二、各律师事务所主任应当组织本所律师认真学习，严格执行。\n"
        "特此通知。\n"
        "市律师协会\n"
        "2024年1月5日"
    ),
)

DISCIPLINE_RULES = Passage(
    key="regulation_text",
    text=(
        "市律师协会会员违规行为处分规则\n"
        "第一条 为规范会员执业行为，根据《中华人民共和国律师法》和协会章程，制定本规则。\n"
        "第二条 会长主持会长办公会议，副会长协助会长工作。\n"
        "第三条 纪律委员会主任委员由理事会在理事中选举产生，纪律委员会会议由主任委员召集并主持。"
    ),
)

HOLIDAY_NOTICE = Passage(
    key="holiday_announcement",
    text=(
        "2024年国庆节放假安排\n"
        "根据国务院办公厅通知精神，经会长办公会研究，现将2024年国庆节放假安排通知如下："
        "10月1日至7日放假调休，共7天。9月29日（星期日）、10月12日（星期六）上班。"
        "请各部门做好值班安排。"
    ),
)

PARTY_BUILDING_FEATURE = Passage(
    key="feature_with_group_descriptions_only",
    text=(
        "律师行业党建工作取得新进展\n"
        "近年来，全市律师行业党组织不断加强自身建设。有关负责同志表示，"
        "各律师事务所党支部书记要切实履行第一责任人职责。"
        "部分律师事务所党支部书记参加了市委党校的专题培训，全体党员律师积极参与公益法律服务。"
    ),
)

CONGRESS_NOTICE = Passage(
    key="notice_of_a_future_meeting",
    text=(
        "关于召开市第十一届律师代表大会第一次会议的通知\n"
        "各律师事务所：\n"
        "经市律师协会第十届理事会研究，定于2024年1月18日在市会议中心召开"
        "市第十一届律师代表大会第一次会议。会议由会长刘明主持。请各律师代表准时参加。\n"
        "特此通知。"
    ),
)

PASSAGES = (
    COUNCIL_MEETING,
    LAWYERS_CONGRESS,
    THEMED_PARTY_DAY,
    TRAINING_SESSION,
    AWARD_CEREMONY,
    REGIONAL_FORUM,
    HALF_WIDTH_SALON,
    RIGHTS_FORUM,
    CRIMINAL_DEFENCE_SEMINAR,
    BRANCH_GENERAL_MEETING,
    WOMEN_LAWYERS_MEETING,
    PARTY_BUILDING_CONFERENCE,
    EXPERIENCE_EXCHANGE,
    FEE_NOTICE,
    DISCIPLINE_RULES,
    HOLIDAY_NOTICE,
    PARTY_BUILDING_FEATURE,
    CONGRESS_NOTICE,
)
