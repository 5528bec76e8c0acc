"""Demo reports (hook ``register_demo_content``); idempotent.

Demo reports get fixed, published receipt codes so that a newcomer can try
the status page; real reports only ever get random ones.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from casework.models import Agency, SupervisionCase
from reporting import receipts, rules, services
from reporting.models import Report


def demo_code(serial: int) -> str:
    body = f"2025030100{serial:05d}"
    return body + receipts.luhn_check_digit(body)


DEMO_REPORTS = [
    {
        "serial": 1,
        "kind": Report.Kind.REAL_NAME,
        "name": "王建国",
        "contact": "13905310000",
        "subject": "执法队员在早市检查时态度粗暴、未出示执法证件",
        "agency": "区综合行政执法局",
        "persons": "两名执法队员，其中一人胸牌号码末尾为 27",
        "place": "花园路早市东口",
        "days_ago": 6,
        "description": (
            "2025年11月某日早上七点左右，两名执法队员到早市检查占道经营，"
            "没有出示执法证件，对摊主大声呵斥，并将一名老人的菜筐踢翻。"
            "我在现场用手机拍了照片。希望有关部门核实处理。"
        ),
        "message": "补充：当天在场的还有三位摊主可以作证，需要的话可以联系我。",
    },
    {
        "serial": 2,
        "kind": Report.Kind.ANONYMOUS,
        "subject": "街道执法人员收受小吃店好处后不再查处占道经营",
        "agency": "洪家楼街道办事处",
        "place": "洪家楼南路",
        "days_ago": 40,
        "description": (
            "洪家楼南路一家小吃店长期占道经营，街道执法人员来过几次后就不管了，"
            "怀疑执法人员收了好处。"
        ),
        "case": "洪家楼街道查处某小吃店占道经营执法监督",
        "outcome": {
            "outcome": Report.Outcome.UNTRUE,
            "feedback": (
                "经核查，洪家楼街道已于2025年依法对该小吃店占道经营行为立案查处并作出处罚，"
                "未发现执法人员收受好处的情况，举报反映的问题不属实。"
            ),
            "explained_where": "洪家楼街道执法中队全体会议",
            "explained_to": "街道执法中队全体执法人员及所在社区居委会",
            "clarification_warranted": True,
            "clarification_reason": (
                "举报内容经查不属实，对依法履职的执法人员造成负面影响，应予澄清正名。"
            ),
        },
    },
    {
        "serial": 3,
        "kind": Report.Kind.REAL_NAME,
        "name": "李秀兰",
        "contact": "lixiulan@example.com",
        "subject": "超市被罚后仍在销售临期食品",
        "agency": "区市场监督管理局",
        "place": "二环东路某超市",
        "days_ago": 25,
        "description": (
            "该超市被市场监管局处罚后，我又在货架上看到临期食品，执法是否到位？"
        ),
        "case": "区市场监督管理局对某超市销售过期食品处罚案执法监督",
        "office_question": (
            "您好，请问您看到的是哪一天、哪一类食品？如有购物小票或照片，请在此补充。"
        ),
    },
    {
        "serial": 4,
        "kind": Report.Kind.REAL_NAME,
        "name": "赵明",
        "contact": "0531-88990000",
        "subject": "邻居装修噪音扰民",
        "agency_text": "物业公司",
        "days_ago": 15,
        "description": "楼上邻居周末早上八点前就开始装修，物业不管。",
        "close": {
            "reason": (
                "反映的是民事纠纷和物业管理问题，不涉及行政执法行为，不属于本"
                "渠道受理范围。"
            ),
            "feedback": (
                "您反映的问题属于邻里纠纷和物业服务事项，不属于行政执法监督受理范围。"
                "建议向所在社区居委会或12345市民服务热线反映。"
            ),
        },
    },
]


def load_reporting_demo(stdout) -> None:
    officer = get_user_model().objects.filter(username="officer1").first()
    if officer is None:
        stdout.write("reporting demo: casework demo users missing, skipped.\n")
        return
    created = 0
    with transaction.atomic():
        for spec in DEMO_REPORTS:
            if Report.objects.filter(subject=spec["subject"]).exists():
                continue
            _build(spec, officer)
            created += 1
    stdout.write(f"reporting demo: {created} reports added; demo receipt codes:\n")
    for spec in DEMO_REPORTS:
        code = receipts.format_code(demo_code(spec["serial"]))
        stdout.write(f"  {code}  {spec['subject']}\n")


def _build(spec: dict, officer) -> None:
    agency = Agency.objects.filter(name=spec.get("agency", "")).first()
    report, _ = services.submit_report(
        kind=spec["kind"],
        name=spec.get("name", ""),
        contact=spec.get("contact", ""),
        subject=spec["subject"],
        description=spec["description"],
        agency=agency,
        agency_text=spec.get("agency_text", "" if agency else spec.get("agency", "")),
        persons=spec.get("persons", ""),
        place=spec.get("place", ""),
    )
    submitted = report.submitted_at - datetime.timedelta(days=spec["days_ago"])
    Report.objects.filter(pk=report.pk).update(
        receipt_digest=receipts.digest(demo_code(spec["serial"])),
        submitted_at=submitted,
        occurred_on=(submitted - datetime.timedelta(days=1)).date(),
    )
    report.refresh_from_db()
    if "message" in spec:
        services.add_reporter_message(report, body=spec["message"])
    if "close" in spec:
        services.close_without_case(report, user=officer, **spec["close"])
        return
    case = SupervisionCase.objects.filter(title=spec.get("case", "")).first()
    if case is None:
        return
    services.attach_to_case(report, user=officer, case=case)
    if "office_question" in spec:
        services.post_office_message(report, user=officer, body=spec["office_question"])
    if "outcome" in spec:
        services.record_outcome(
            report,
            user=officer,
            explained_on=submitted.date() + datetime.timedelta(days=30),
            # The result is the case's decision (Art. 17, 22): a case not yet
            # decided keeps the outcome as an unreleased draft.
            release=case.stage in rules.DECIDED_STAGES,
            **spec["outcome"],
        )
