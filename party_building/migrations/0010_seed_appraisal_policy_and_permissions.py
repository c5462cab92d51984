"""The usual appraisal policy, and who may record what.

- 民主评议党员: at most 1/3 of a branch's members found 优秀 (共产党员网, 党支部工作 ·
  民主评议党员: 评定为“优秀”的比例一般不超过党员总数的1/3), from 2000 on;
- the score sheet of 书记述职评议 / 星级评定: five items summing to 100 points;
- stars: 五星 from 90 %, 四星 80 %, 三星 70 %, 二星 60 %, 一星 below.

All of it is data that the committee's administrators edit in the admin afterwards.
党委管理员 get every permission on the six models; 支部书记 record their branches' member
appraisals and read the rest (their branch's score, the items, the thresholds, the cap).
"""

from decimal import Decimal

from django.db import migrations

from core.groups import grant_permissions

ITEMS = [
    ("组织建设", "班子健全、按期换届、党员发展和组织关系管理", 20),
    ("三会一课", "支部党员大会、支委会、党小组会、党课和主题党日按时开展", 25),
    ("党员教育", "理论学习、党员培训和民主评议党员", 20),
    ("作用发挥", "服务大局、公益法律服务和党员先锋模范作用", 25),
    ("党费", "党费按时足额收缴和规范管理", 10),
]
STARS = [(5, 90), (4, 80), (3, 70), (2, 60), (1, 0)]
MODELS = [
    "appraisalcap",
    "memberappraisal",
    "assessmentitem",
    "starthreshold",
    "branchassessment",
    "assessmentscore",
]
GROUPS = {
    "党委管理员": [
        f"party_building.{action}_{model}"
        for model in MODELS
        for action in ("add", "change", "delete", "view")
    ],
    "支部书记": [
        *(f"party_building.{action}_memberappraisal" for action in ("add", "change", "view")),
        *(f"party_building.view_{model}" for model in MODELS if model != "memberappraisal"),
    ],
}


def seed(apps, schema_editor):
    AppraisalCap = apps.get_model("party_building", "AppraisalCap")
    AssessmentItem = apps.get_model("party_building", "AssessmentItem")
    StarThreshold = apps.get_model("party_building", "StarThreshold")
    AppraisalCap.objects.get_or_create(from_year=2000, defaults={"numerator": 1, "denominator": 3})
    if not AssessmentItem.objects.exists():
        for order, (name, description, max_score) in enumerate(ITEMS, start=1):
            AssessmentItem.objects.create(
                name=name,
                description=description,
                max_score=Decimal(max_score),
                order=order,
                from_year=2000,
            )
    for stars, percent in STARS:
        StarThreshold.objects.get_or_create(stars=stars, defaults={"min_percent": percent})
    grant_permissions(apps, GROUPS)


class Migration(migrations.Migration):
    dependencies = [("party_building", "0009_appraisals_and_assessments")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
