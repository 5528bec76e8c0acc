"""Demo data for the casework plugin: a working supervision office.

``load_casework_demo`` is registered on the ``register_demo_content`` hook, so
``manage.py load_demo`` calls it. It builds the reference data (enforcement
fields, agencies, officers), one login per role and a dozen supervision cases
spread over the six stages of Art. 14, each taken step by step through
casework.services (and casework.documents) exactly as the office would, so
every guard of the measures holds for the demo as for real work.

Dates are relative to today, so the deadlines look live, and none lies
before its case's filing or after today (the services refuse such dates).
Determinations, decisions, their service and the review requests are dated
today, the day the demo issues its decision notices (casework.documents dates
a document the day it is generated); the service layer stamps the archiving
time with the real day.

Every person and company named here is fictional. Running it again changes
nothing: reference data is created with get_or_create, and the cases only when
there are none yet.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from casework import roles, services
from casework.documents import generate_document
from casework.models import (
    ActFinding,
    Activity,
    Agency,
    CaseDocument,
    CaseOfficer,
    CaseSource,
    EnforcementField,
    ErrorType,
    LiaisonAssignment,
    MatterType,
    Notification,
    Officer,
    OversightSettings,
    PeriodicReport,
    Recusal,
    Review,
    RiskPoint,
    SupervisionCase,
)
from casework.rules import periods
from casework.rules.articles import Outcome
from casework.rules.stages import Stage
from portal.demo import DEMO_ADMIN_PASSWORD, ensure_demo_users, login_lines

__all__ = ["DEMO_USERS", "load_casework_demo"]

FIELDS = ("市场监管", "城市管理", "生态环境", "应急管理", "交通运输", "自然资源")

MARKET = "区市场监督管理局"
URBAN = "区综合行政执法局"
ECOLOGY = "区生态环境分局"
EMERGENCY = "区应急管理局"
TRANSPORT = "区交通运输局"
HONGJIALOU = "洪家楼街道办事处"
SHANDALU = "山大路街道办事处"

AGENCIES = {
    MARKET: (Agency.Kind.DEPARTMENT, ("市场监管",)),
    URBAN: (Agency.Kind.DEPARTMENT, ("城市管理", "自然资源")),
    ECOLOGY: (Agency.Kind.DEPARTMENT, ("生态环境",)),
    EMERGENCY: (Agency.Kind.DEPARTMENT, ("应急管理",)),
    TRANSPORT: (Agency.Kind.DEPARTMENT, ("交通运输",)),
    HONGJIALOU: (Agency.Kind.STREET, ("城市管理", "应急管理")),
    SHANDALU: (Agency.Kind.STREET, ("城市管理", "生态环境")),
}

_C = Officer.Status.CERTIFIED
_U = Officer.Status.UNCERTIFIED
_A = Officer.Status.AUXILIARY

# (name, agency, status, certificate number, position); names are fictional.
OFFICERS = (
    ("张伟明", MARKET, _C, "37011225001", "执法稽查科科长"),
    ("李静怡", MARKET, _C, "37011225014", "行政审批科科员"),
    ("王振华", MARKET, _U, "", "食品安全监管科科员"),
    ("刘子豪", MARKET, _A, "", "执法稽查科辅助执法队员"),
    ("欧阳晓峰", URBAN, _C, "37011225102", "执法一中队中队长"),
    ("陈志刚", URBAN, _C, "37011225117", "执法一中队队员"),
    ("赵丽娜", URBAN, _C, "37011225123", "法制审核科科员"),
    ("孙浩然", ECOLOGY, _C, "37011225201", "环境执法大队副大队长"),
    ("周雪梅", ECOLOGY, _C, "37011225209", "环境执法大队队员"),
    ("吴建国", EMERGENCY, _C, "37011225301", "安全生产执法大队大队长"),
    ("郑晓燕", EMERGENCY, _C, "37011225306", "安全生产执法大队队员"),
    ("冯磊", EMERGENCY, _A, "", "安全生产执法大队协管员"),
    ("何俊杰", TRANSPORT, _C, "37011225401", "交通运输执法大队中队长"),
    ("马晓东", TRANSPORT, _C, "37011225412", "交通运输执法大队队员"),
    ("朱文博", HONGJIALOU, _C, "37011225501", "综合行政执法中队中队长"),
    ("胡海燕", HONGJIALOU, _C, "37011225507", "综合行政执法中队队员"),
    ("林小军", HONGJIALOU, _A, "", "综合行政执法中队协管员"),
    ("郭明远", SHANDALU, _C, "37011225601", "综合行政执法中队中队长"),
    ("黄思琪", SHANDALU, _U, "", "应急管理办公室科员"),
)

# username: (last name, first name, role group, what the login shows)
DEMO_USERS = {
    "head": ("韩", "立新", roles.HEAD, "批准延期、听证和回避"),
    "officer1": ("宋", "佳琪", roles.OFFICER, "调查人员，申请过延期"),
    "officer2": ("许", "文涛", roles.OFFICER, "调查人员"),
    "officer3": ("司马", "云飞", roles.OFFICER, "调查人员，已回避一案"),
    "liaison_market": ("曹", "雨婷", roles.LIAISON, f"{MARKET}，移交与整改"),
    "reviewer": ("邓", "海涛", roles.REVIEWER, "待决复核申请"),
}

JOINT_COUNTERPART = "区纪委监委第三监督检查室"
LIABILITY_REFERRED_TO = "区纪委监委（第十八条）"
TRANSPORT_LIABILITY_REFERRED_TO = "区交通运输局行政执法过错责任追究工作组（第十八条）"


def load_casework_demo(*, home, stdout) -> None:
    """Load the casework demo (hook ``register_demo_content``); idempotent."""
    with transaction.atomic():
        fields = _reference_fields()
        agencies = _reference_agencies(fields)
        _reference_officers(agencies)
        users = _demo_users(agencies)
        if SupervisionCase.objects.exists():
            stdout.write("casework demo: cases already present, nothing added.\n")
            _oversight(stdout)
            return
        _DemoOffice(users, agencies, fields).build()
    _oversight(stdout)
    count = SupervisionCase.objects.count()
    stdout.write(
        f"casework demo: {count} supervision cases; "
        f"staff logins (password {DEMO_ADMIN_PASSWORD}):\n"
    )
    stdout.write(login_lines(DEMO_USERS))


# --- Oversight: warnings, a report, a risk point (Art. 17-21) ------------------

DEMO_RISK_THRESHOLD = 2
"""The demo office counts two cases of one error type in one agency as a risk
point (the default is three): the demo's urban-management bureau has two
procedure errors, each exempted, which makes one."""

DEMO_WARNING_DAYS = 5
"""The demo office warns five days ahead (the default is three), so the cases
filed 24-25 days ago show yellow warnings beside the overdue case's red one."""


def _oversight(stdout) -> None:
    """What the nightly tasks would have produced by now: today's deadline
    warnings (mailed by the cluster's next run, not here), the risk points
    and last month's report. Each step is idempotent, so a second run adds
    nothing."""
    from casework import deadlines, reports, risk_points

    today = timezone.localdate()
    if not OversightSettings.objects.exists():
        OversightSettings.objects.create(
            risk_threshold=DEMO_RISK_THRESHOLD, warning_days=DEMO_WARNING_DAYS
        )
    checked = deadlines.check_deadlines(today, mail=False)
    risk_points.detect_risk_points(today)
    year, month = reports.last_completed_period(PeriodicReport.Kind.MONTH, today)
    report = reports.generate_report(
        PeriodicReport.Kind.MONTH, year, month, scheduled=True, today=today
    )
    stdout.write(
        f"casework demo: {checked.warnings} new deadline warnings, "
        f"{RiskPoint.objects.count()} risk points, report {report.period_label}.\n"
    )


# --- Reference data and people ------------------------------------------------


def _reference_fields() -> dict[str, EnforcementField]:
    return {
        name: EnforcementField.objects.get_or_create(name=name)[0] for name in FIELDS
    }


def _reference_agencies(fields) -> dict[str, Agency]:
    agencies = {}
    for name, (kind, field_names) in AGENCIES.items():
        agency, _created = Agency.objects.get_or_create(
            name=name, defaults={"kind": kind}
        )
        agency.fields.add(*(fields[f] for f in field_names))
        agencies[name] = agency
    return agencies


def _reference_officers(agencies) -> None:
    for name, agency, status, certificate, position in OFFICERS:
        Officer.objects.get_or_create(
            name=name,
            agency=agencies[agency],
            defaults={
                "status": status,
                "certificate_number": certificate,
                "position": position,
            },
        )


def _demo_users(agencies) -> dict:
    """One login per role (portal.demo), the market liaison assigned to her
    agency."""
    users = ensure_demo_users(DEMO_USERS)
    for user in users.values():
        # roles.role_names caches per instance: start from the database.
        user.__dict__.pop("_casework_roles", None)
    LiaisonAssignment.objects.get_or_create(
        user=users["liaison_market"], agency=agencies[MARKET]
    )
    return users


# --- The cases ----------------------------------------------------------------


class _DemoOffice:
    """Builds the demo cases through the service layer, oldest filing first,
    so the case numbers follow the filing dates."""

    def __init__(self, users, agencies, fields):
        self.today = timezone.localdate()
        self.users = users
        self.head = users["head"]
        self.officer1 = users["officer1"]
        self.officer2 = users["officer2"]
        self.officer3 = users["officer3"]
        self.liaison = users["liaison_market"]
        self.reviewer = users["reviewer"]
        self.agencies = agencies
        self.fields = fields
        self.officers = {o.name: o for o in Officer.objects.all()}

    def build(self) -> None:
        self.overdue_case()  # filed 45 days ago
        self.extended_case()  # 22
        self.hearing_case()  # 25
        self.earlier_exemption_case()  # 24
        self.correcting_case()  # 23
        self.archived_case()  # 21
        self.appraisal_case()  # 20
        self.review_case()  # 19
        self.exemption_case()  # 17
        self.transfer_case()  # 12
        self.repeat_case()  # 10
        self.recusal_case()  # 6
        self.new_case()  # today

    # --- helpers ------------------------------------------------------------

    def day(self, days_ago: int) -> datetime.date:
        """``days_ago`` days before today, moved back to a working day when it
        falls on a weekend (long holidays are left as they are)."""
        day = self.today - datetime.timedelta(days=days_ago)
        calendar = periods.default_calendar()
        for back in range(4):
            candidate = day - datetime.timedelta(days=back)
            if calendar.is_workday(candidate):
                return candidate
        return day

    def file(
        self,
        *,
        user,
        agency: str,
        field: str,
        officers,
        days_ago: int,
        **kwargs,
    ) -> SupervisionCase:
        return services.file_case(
            user=user,
            agency=self.agencies[agency],
            field=self.fields[field],
            officers=[(self.officers[name], error) for name, error in officers],
            filed_on=self.day(days_ago),
            **kwargs,
        )

    def start(self, case, lead, second) -> SupervisionCase:
        """The head assigns two investigators (Art. 16); 核实 begins."""
        services.assign_investigator(case, lead, user=self.head, is_lead=True)
        services.assign_investigator(case, second, user=self.head)
        return services.transition(
            case, Stage.VERIFYING, user=lead, note="指派调查人员，开始核实。"
        )

    def activity(self, case, user, kind, days_ago, summary, **appraisal) -> Activity:
        return services.record_activity(
            case,
            user=user,
            kind=kind,
            occurred_on=self.day(days_ago),
            summary=summary,
            **appraisal,
        )

    def link(self, case, name: str) -> CaseOfficer:
        # Loaded through the case given, so the services see its current stage.
        return case.case_officers.get(officer__name=name)

    def statement(self, case, name, user, days_ago, content="", waived=False):
        return services.record_statement(
            self.link(case, name),
            user=user,
            heard_on=self.day(days_ago),
            content=content,
            waived=waived,
        )

    def determine(self, case, name, user, outcome, basis, facts, distinctions, **kw):
        """Determine one person (Art. 9-12) on the demo's today; an outcome
        that is not an exemption or duty fulfilled also needs
        ``liability_referred_to`` (Art. 18)."""
        reform, exploration, intent = distinctions
        kw.setdefault("decided_on", self.today)
        return services.determine(
            self.link(case, name),
            user=user,
            outcome=outcome,
            basis=basis,
            facts=facts,
            distinction_reform=reform,
            distinction_exploration=exploration,
            distinction_intent=intent,
            **kw,
        )

    def serve(self, case, user, recipients) -> SupervisionCase:
        """Decide (反馈) and serve the decision today on each recipient, given
        as ``(name, is_party)`` (Art. 17). The decision is dated today, the
        date the demo's decision notices are issued on."""
        # The head signs the decision; the investigator serves it.
        case = services.transition(
            case,
            Stage.NOTIFIED,
            user=self.head,
            note="负责人签发监督决定，送达相关单位及当事人。",
            decided_on=self.today,
        )
        for recipient, is_party in recipients:
            services.record_notification(
                case,
                user=user,
                recipient=recipient,
                is_party=is_party,
                method=Notification.Method.IN_PERSON,
                served_on=self.today,
            )
        return SupervisionCase.objects.get(pk=case.pk)

    def find_act(self, case, user, finding, reasons):
        """The finding on the enforcement act itself (Art. 18 para. 2)."""
        return services.record_act_finding(
            case, user=user, finding=finding, reasons=reasons, found_on=self.today
        )

    def review_and_archive(self, case, *, applicant, grounds, reasons, user):
        """A review requested at once and upheld, then the case is archived:
        with the review decided, no further review can change the result
        (Art. 19), so the file may close before the 15-day window ends."""
        review = services.request_review(
            case,
            user=user,
            applicant=applicant,
            decision_received_on=self.today,
            requested_on=self.today,
            grounds=grounds,
        )
        services.decide_review(
            review, user=self.reviewer, result=Review.Result.UPHELD, reasons=reasons
        )
        return services.transition(
            case, Stage.ARCHIVED, user=user, note="复核维持原决定，案卷材料齐全，归档。"
        )

    # --- the cases, in order of filing ----------------------------------------

    def overdue_case(self) -> None:
        """核实, filed 45 days ago, no extension: the decision is overdue."""
        case = self.file(
            user=self.officer2,
            title="洪家楼街道沿街餐饮商户燃气安全检查执法监督",
            agency=HONGJIALOU,
            field="应急管理",
            matter_type=MatterType.INSPECTION,
            source=CaseSource.INSPECTION,
            summary=(
                "区行政执法监督机构在餐饮场所燃气安全专项整治监督检查中发现："
                "洪家楼街道对检查中发现的12家沿街餐饮商户未安装可燃气体泄漏"
                "报警装置问题仅作口头提醒，未依法责令限期整改，"
                "也未留存检查记录和复查记录。"
            ),
            officers=[("朱文博", ErrorType.OMISSION)],
            days_ago=45,
        )
        case = self.start(case, self.officer2, self.officer3)
        self.activity(
            case,
            self.officer2,
            Activity.Kind.WRITTEN_REVIEW,
            42,
            "调取街道燃气安全专项整治工作台账、检查记录表及整改通知书存根，"
            "发现12家商户只有检查登记，无整改通知及复查记录。",
        )
        self.activity(
            case,
            self.officer3,
            Activity.Kind.INQUIRY,
            38,
            "询问综合行政执法中队中队长朱文博，制作询问笔录一份。",
        )
        self.statement(
            case,
            "朱文博",
            self.officer2,
            38,
            "朱文博陈述：专项整治期间检查任务重、人手不足，"
            "对商户以督促自行整改为主，书面文书未及时补录，并非放任不管。",
        )

    def extended_case(self) -> None:
        """核实 with an approved extension (Art. 17): requested by officer1
        and approved by the head while the 30 days still run (an expired
        period cannot be extended)."""
        case = self.file(
            user=self.officer1,
            title="山大路街道建筑工地夜间施工噪声扰民投诉处理执法监督",
            agency=SHANDALU,
            field="生态环境",
            matter_type=MatterType.PENALTY,
            source=CaseSource.REPORT,
            summary=(
                "多名居民联名举报：山大路街道对辖区某建筑工地夜间违规施工"
                "噪声扰民问题多次接诉后仅作劝导，未依法调查处理；"
                "举报人还反映其个人信息被透露给施工单位。"
            ),
            officers=[("黄思琪", ErrorType.OMISSION)],
            days_ago=22,
        )
        case = self.start(case, self.officer1, self.officer3)
        self.activity(
            case,
            self.officer1,
            Activity.Kind.WRITTEN_REVIEW,
            20,
            "调取近三个月12345热线转办工单28件及街道办理回复记录。",
        )
        self.activity(
            case,
            self.officer3,
            Activity.Kind.INQUIRY,
            15,
            "询问举报人4名及街道应急管理办公室工作人员黄思琪。",
        )
        extension = services.request_extension(
            case,
            user=self.officer1,
            days=20,
            reason=(
                "本案涉及28件热线工单逐件核查，部分举报人长期在外地，"
                "需另行约定时间询问，且需协调施工单位调取夜间施工许可材料，"
                "情况复杂，依第十七条申请延长调查期限20日。"
            ),
        )
        services.decide_extension(extension, user=self.head, approve=True)

    def hearing_case(self) -> None:
        """认定: a major, complex case after a hearing (Art. 14); one of the
        two officers determined, the other not yet."""
        case = self.file(
            user=self.officer1,
            title="区综合行政执法局强制拆除某村违法建筑执法监督",
            agency=URBAN,
            field="自然资源",
            matter_type=MatterType.COMPULSION,
            source=CaseSource.REPORT,
            summary=(
                "当事人实名举报：区综合行政执法局在强制拆除某村集体土地上的"
                "违法建筑时，未依法履行催告程序，强制拆除决定未经法制审核，"
                "拆除过程中损毁屋内物品。该建筑系二十年前建成，涉及历史遗留问题，"
                "社会关注度高，列为重大复杂案件。"
            ),
            officers=[
                ("欧阳晓峰", ErrorType.PROCEDURE),
                ("赵丽娜", ErrorType.PUBLICITY),
            ],
            days_ago=25,
            is_major_complex=True,
        )
        case = self.start(case, self.officer1, self.officer3)
        self.activity(
            case,
            self.officer1,
            Activity.Kind.WRITTEN_REVIEW,
            22,
            "调阅违法建设查处案卷、限期拆除决定书、强制拆除决定书及送达回证。",
        )
        self.activity(
            case,
            self.officer3,
            Activity.Kind.ON_SITE,
            20,
            "会同村委会到拆除现场勘验，拍照固定现场状况，清点遗留物品。",
        )
        self.activity(
            case,
            self.officer1,
            Activity.Kind.INQUIRY,
            18,
            "询问当事人、村委会负责人及执法人员欧阳晓峰、赵丽娜。",
        )
        hearing = services.schedule_hearing(
            case,
            user=self.head,
            scheduled_on=self.day(12),
            host_name="蒋明哲",
            host_legal_qualification=(
                "法律职业资格（A类），从事行政执法监督和行政复议工作十二年"
            ),
            host_professional_qualification=(
                "熟悉土地管理和违法建设查处业务，参与起草区违法建设治理工作指引"
            ),
        )
        services.record_hearing(
            hearing,
            user=self.officer1,
            held_on=self.day(12),
            minutes=(
                "听证会公开举行。举报人陈述了强制拆除前未收到催告书的意见；"
                "区综合行政执法局说明了该建筑历经三轮整治未果、"
                "村民多次信访要求拆除的情况；被调查人欧阳晓峰、赵丽娜到会陈述申辩。"
                "双方对催告书送达方式存在争议，主持人归纳争议焦点后宣布听证结束。"
            ),
        )
        self.statement(
            case,
            "欧阳晓峰",
            self.officer1,
            11,
            "欧阳晓峰陈述：催告书已张贴于建筑外墙并拍照留存，"
            "因当事人长期拒不露面无法直接送达；拆除前已通知村委会见证并清点物品。",
        )
        self.statement(
            case,
            "赵丽娜",
            self.officer3,
            11,
            "赵丽娜陈述：法制审核意见已口头提出，书面审核意见因系统故障"
            "事后补录，承认存在程序瑕疵。",
        )
        case = services.transition(case, Stage.DETERMINED, user=self.officer1)
        self.determine(
            case,
            "欧阳晓峰",
            self.officer1,
            Outcome.EXEMPT,
            ["10(9)"],
            (
                "该违法建筑历经三轮整治未能拆除，执法人员在解决历史遗留问题中"
                "主动作为，催告书以张贴方式送达虽存在瑕疵，但已履行见证和清点程序。"
            ),
            (
                "执法人员为推进违法建设治理积极履职，并非明知故犯。",
                "送达方式上级尚无明确限制，不属于违反明令禁止的行为。",
                "系解决历史遗留问题中的无意过失，未发现谋取私利。",
            ),
        )

    def earlier_exemption_case(self) -> None:
        """归档: 陈志刚 exempted for a procedural flaw (Art. 10(6)); the repeat
        case below finds this exemption (Art. 12(5))."""
        case = self.file(
            user=self.officer2,
            title="区综合行政执法局汛期紧急拆除危险广告牌执法监督",
            agency=URBAN,
            field="城市管理",
            matter_type=MatterType.COMPULSION,
            source=CaseSource.INSPECTION,
            summary=(
                "监督检查发现：汛期强降雨期间，区综合行政执法局为消除安全隐患，"
                "在未履行催告、未作出书面强制执行决定的情况下，"
                "当场拆除某商户存在倒塌风险的楼顶广告牌。"
            ),
            officers=[("陈志刚", ErrorType.PROCEDURE)],
            days_ago=24,
        )
        case = self.start(case, self.officer2, self.officer1)
        self.activity(
            case,
            self.officer2,
            Activity.Kind.WRITTEN_REVIEW,
            21,
            "审查应急处置记录、气象预警信息及现场执法记录仪视频。",
        )
        self.activity(
            case,
            self.officer1,
            Activity.Kind.INQUIRY,
            19,
            "询问广告牌所有人及执法人员陈志刚。",
        )
        self.statement(
            case,
            "陈志刚",
            self.officer2,
            19,
            "陈志刚陈述：当时已发布暴雨红色预警，广告牌支架严重锈蚀、"
            "随时可能坠落，为保障行人安全先行拆除，事后补办了相关手续。",
        )
        case = services.transition(case, Stage.DETERMINED, user=self.officer2)
        self.determine(
            case,
            "陈志刚",
            self.officer2,
            Outcome.EXEMPT,
            ["10(6)"],
            (
                "暴雨红色预警期间广告牌存在坠落危险，执法人员为快速处置"
                "未按正常程序办理强制拆除手续，事后已补办，未造成不良后果。"
            ),
            (
                "属于应对突发事件的紧急处置，并非明知故犯。",
                "应急处置未违反明令禁止的规定。",
                "为保障公共安全的无意程序瑕疵，未谋取私利。",
            ),
        )
        # The officer is exempted, yet the act itself skipped the procedure of
        # compulsory execution: improper, so the opinion letter is issued.
        self.find_act(
            case,
            self.officer2,
            ActFinding.IMPROPER,
            "未履行催告、未作出书面强制执行决定即当场拆除，程序存在瑕疵。",
        )
        generate_document(case, CaseDocument.Kind.OPINION_LETTER, user=self.officer2)
        generate_document(case, CaseDocument.Kind.DECISION_NOTICE, user=self.officer2)
        case = self.serve(case, self.officer2, [(URBAN, False), ("陈志刚", True)])
        self.review_and_archive(
            case,
            user=self.officer2,
            applicant="济南某文化传媒有限公司（广告牌所有人）",
            grounds="申请人认为拆除行为程序违法，对执法人员予以免责不当。",
            reasons=(
                "经复核，拆除时确有紧急危险，执法人员事后补办手续，"
                "原决定认定事实清楚、适用第十条第（六）项正确，予以维持。"
            ),
        )

    def correcting_case(self) -> None:
        """纠错: no tolerance under Art. 12(3), joint investigation with the
        discipline inspection organ, both documents, correction in progress."""
        case = self.file(
            user=self.officer1,
            title="区市场监督管理局对某超市销售过期食品处罚案执法监督",
            agency=MARKET,
            field="市场监管",
            matter_type=MatterType.PENALTY,
            source=CaseSource.REPORT,
            summary=(
                "举报人反映：区市场监督管理局对某连锁超市销售超过保质期食品"
                "作出罚款五万元的处罚决定前未经法制审核，现场检查未开启执法记录仪，"
                "处罚决定作出后未按规定公示；该处罚决定已被行政复议机关撤销，"
                "造成不良社会影响。"
            ),
            officers=[
                ("张伟明", ErrorType.PUBLICITY),
                ("刘子豪", ErrorType.CONDUCT),
            ],
            days_ago=23,
        )
        case = self.start(case, self.officer1, self.officer2)
        services.set_joint_investigation(
            case, user=self.officer1, counterpart=JOINT_COUNTERPART, since=self.day(20)
        )
        self.activity(
            case,
            self.officer1,
            Activity.Kind.WRITTEN_REVIEW,
            20,
            "调阅处罚案卷、法制审核登记簿、执法记录仪存储记录及行政复议决定书。",
        )
        self.activity(
            case,
            self.officer2,
            Activity.Kind.INQUIRY,
            17,
            "会同区纪委监委询问执法稽查科科长张伟明、执法辅助人员刘子豪。",
        )
        self.statement(
            case,
            "张伟明",
            self.officer1,
            16,
            "张伟明陈述：案件事实清楚，认为无需法制审核即可作出决定，"
            "公示遗漏系内勤人员工作疏忽。",
        )
        self.statement(
            case,
            "刘子豪",
            self.officer2,
            16,
            "刘子豪陈述：现场检查时执法记录仪电量不足未能开启，未及时报告，"
            "愿意承担责任并配合调查。",
        )
        case = services.transition(case, Stage.DETERMINED, user=self.officer1)
        self.determine(
            case,
            "张伟明",
            self.officer1,
            Outcome.NO_TOLERANCE,
            ["12(3)"],
            (
                "五万元罚款属于应当经法制审核的重大执法决定，执法人员未提交法制审核"
                "即作出决定，且未落实执法全过程记录和公示制度，"
                "致使处罚决定被行政复议机关撤销，造成严重后果。"
            ),
            (
                "法制审核是明确的制度要求，执法人员明知而未履行，"
                "不属于改革探索中的失误。",
                "重大执法决定法制审核制度有明文规定，不属于探索性试验。",
                "虽未发现谋取私利，但系主观原因未执行法定制度。",
            ),
            liability_referred_to=LIABILITY_REFERRED_TO,
        )
        self.determine(
            case,
            "刘子豪",
            self.officer2,
            Outcome.MITIGATION_LIGHTER,
            ["11(2)", "12(3)"],
            (
                "执法辅助人员现场检查时未开启执法记录仪，未落实执法全过程记录制度；"
                "调查中如实说明情况，积极配合问责追责调查，并主动承担责任。"
            ),
            (
                "未开启执法记录仪系工作疏忽，并非改革探索。",
                "执法全过程记录有明文规定，不属于探索性试验。",
                "系无意过失，未谋取私利，且主动承担责任。",
            ),
            # Lighter liability is still liability (Art. 18).
            liability_referred_to=LIABILITY_REFERRED_TO,
        )
        services.order_correction(
            case,
            user=self.officer1,
            reasons=(
                "重大执法决定未经法制审核，执法全过程记录缺失，"
                "行政处罚信息未按规定公示（第十二条第（三）项）。"
            ),
            items=(
                "一、对本年度作出的重大行政处罚决定逐件复查法制审核情况；"
                "二、修订执法记录仪使用管理规定，明确设备检查和交接责任；"
                "三、补充公示应公示未公示的行政处罚信息。"
            ),
            requirements=(
                "组织执法人员开展法制审核、全过程记录和公示制度专题培训，"
                "建立重大执法决定法制审核台账，整改完成后书面报告整改情况。"
            ),
            deadline=self.today + datetime.timedelta(days=30),
        )
        self.find_act(
            case,
            self.officer1,
            ActFinding.UNLAWFUL,
            "重大行政处罚决定未经法制审核即作出，违反重大执法决定法制审核制度。",
        )
        generate_document(case, CaseDocument.Kind.OPINION_LETTER, user=self.officer1)
        generate_document(case, CaseDocument.Kind.DECISION_NOTICE, user=self.officer1)
        case = self.serve(
            case,
            self.officer1,
            [(MARKET, False), ("张伟明", True), ("刘子豪", True)],
        )
        case = services.transition(
            case, Stage.CORRECTING, user=self.officer1, note="责成限期纠正。"
        )
        services.report_correction_progress(
            case.corrections.get(),
            user=self.liaison,
            reported_on=self.today,
            content=(
                "已组织执法稽查科全体人员开展法制审核制度专题学习；"
                "本年度重大行政处罚案卷自查已完成37件，发现未经法制审核2件，"
                "正在补正；执法记录仪使用管理规定修订稿已报局党组审议。"
            ),
        )

    def archived_case(self) -> None:
        """归档: duty fulfilled (Art. 9(2)) and exempt (Art. 10(8))."""
        case = self.file(
            user=self.officer3,
            title="区应急管理局对某化工仓储企业安全生产检查执法监督",
            agency=EMERGENCY,
            field="应急管理",
            matter_type=MatterType.INSPECTION,
            source=CaseSource.REPORT,
            summary=(
                "举报人反映：区应急管理局执法人员对某化工仓储企业开展安全生产检查后"
                "未发现重大事故隐患，此后该企业发生危险化学品少量泄漏事故，"
                "举报人认为执法检查走过场。"
            ),
            officers=[
                ("吴建国", ErrorType.OMISSION),
                ("郑晓燕", ErrorType.OMISSION),
            ],
            days_ago=21,
        )
        case = self.start(case, self.officer3, self.officer1)
        self.activity(
            case,
            self.officer3,
            Activity.Kind.WRITTEN_REVIEW,
            19,
            "审查执法检查记录、责令限期整改指令书、复查意见书及企业整改报告。",
        )
        self.activity(
            case,
            self.officer1,
            Activity.Kind.ON_SITE,
            17,
            "赴企业储罐区现场调查，核对泄漏报警装置运行记录。",
        )
        self.statement(
            case,
            "吴建国",
            self.officer3,
            15,
            "吴建国陈述：检查时企业提供的巡检台账和报警记录显示正常，"
            "事后查明台账系企业伪造。",
        )
        self.statement(case, "郑晓燕", self.officer1, 15, waived=True)
        case = services.transition(case, Stage.DETERMINED, user=self.officer3)
        self.determine(
            case,
            "吴建国",
            self.officer3,
            Outcome.DUTY_FULFILLED,
            ["9(2)"],
            (
                "执法人员按检查计划开展检查，企业伪造巡检台账、隐瞒报警记录，"
                "致使检查未能发现隐患。"
            ),
            (
                "执法人员按规定程序检查，不存在明知故犯。",
                "检查依据明确，不涉及探索性试验。",
                "无过失，未谋取私利。",
            ),
        )
        self.determine(
            case,
            "郑晓燕",
            self.officer1,
            Outcome.EXEMPT,
            ["10(8)"],
            (
                "执法人员复查时已对储罐区问题下达责令限期整改指令书，"
                "企业拒不执行整改要求，仍然造成事故发生。"
            ),
            (
                "执法人员依法采取了法定措施，并非明知故犯。",
                "不存在违反明令禁止的行为。",
                "无谋取私利情形。",
            ),
        )
        self.find_act(
            case,
            self.officer3,
            ActFinding.LAWFUL,
            "检查和责令整改均依法作出，事故系企业伪造台账、拒不整改所致。",
        )
        generate_document(case, CaseDocument.Kind.DECISION_NOTICE, user=self.officer3)
        case = self.serve(
            case,
            self.officer3,
            [(EMERGENCY, False), ("吴建国", True), ("郑晓燕", True)],
        )
        self.review_and_archive(
            case,
            user=self.officer3,
            applicant="举报人吕某",
            grounds="申请人认为执法人员检查流于形式，应当追究责任。",
            reasons=(
                "经复核，企业伪造台账、拒不整改的事实有书证和现场记录印证，"
                "原决定认定事实清楚、适用依据正确，予以维持。"
            ),
        )

    def appraisal_case(self) -> None:
        """核实: two investigators, an inquiry and an on-site investigation, a
        commissioned appraisal still running (the clock is paused, Art. 16),
        one statement still missing."""
        case = self.file(
            user=self.officer1,
            title="区生态环境分局对某汽修厂挥发性有机物超标排放处罚案执法监督",
            agency=ECOLOGY,
            field="生态环境",
            matter_type=MatterType.PENALTY,
            source=CaseSource.INSPECTION,
            summary=(
                "行政执法案卷评查中发现：区生态环境分局对某汽车维修厂作出罚款十万元的"
                "处罚决定，所依据的监测报告采样时间与现场检查笔录记载不一致，"
                "且处罚告知书未载明当事人申请听证的权利。"
            ),
            officers=[
                ("孙浩然", ErrorType.EVIDENCE),
                ("周雪梅", ErrorType.PROCEDURE),
            ],
            days_ago=20,
        )
        case = self.start(case, self.officer1, self.officer2)
        self.activity(
            case,
            self.officer2,
            Activity.Kind.INQUIRY,
            16,
            "询问执法人员孙浩然、周雪梅及汽修厂负责人，制作询问笔录三份。",
        )
        self.activity(
            case,
            self.officer1,
            Activity.Kind.ON_SITE,
            14,
            "赴汽修厂喷漆房现场勘验废气收集处理设施及在线监测设备。",
        )
        self.activity(
            case,
            self.officer1,
            Activity.Kind.APPRAISAL,
            9,
            "委托第三方检测机构对原监测报告的采样过程和数据进行复核检测。",
            appraisal_body="山东某环境检测技术有限公司（演示）",
            appraisal_started_on=self.day(9),
        )
        self.statement(
            case,
            "孙浩然",
            self.officer2,
            12,
            "孙浩然陈述：采样由监测站人员完成，笔录时间系记录笔误，"
            "不影响监测数据的真实性。",
        )

    def review_case(self) -> None:
        """反馈 with a review requested by the officer and pending (Art. 19)."""
        case = self.file(
            user=self.officer2,
            title="区交通运输局查处涉嫌非法营运车辆案执法监督",
            agency=TRANSPORT,
            field="交通运输",
            matter_type=MatterType.PENALTY,
            source=CaseSource.REPORT,
            summary=(
                "当事人投诉：区交通运输局执法人员查处涉嫌非法营运车辆时，"
                "仅凭乘客口述即认定非法营运并作出罚款决定，"
                "该决定已被人民法院判决撤销。"
            ),
            officers=[("何俊杰", ErrorType.EVIDENCE)],
            days_ago=19,
        )
        case = self.start(case, self.officer2, self.officer3)
        self.activity(
            case,
            self.officer2,
            Activity.Kind.WRITTEN_REVIEW,
            17,
            "审查处罚案卷、乘客询问笔录、行政判决书及车辆行驶轨迹记录。",
        )
        self.activity(
            case,
            self.officer3,
            Activity.Kind.INQUIRY,
            14,
            "询问中队长何俊杰及当时在场的执法队员马晓东。",
        )
        self.statement(
            case,
            "何俊杰",
            self.officer2,
            13,
            "何俊杰陈述：乘客当场陈述系通过网约车平台下单并支付车费，"
            "事后乘客改变说法，本人无法预见。",
        )
        case = services.transition(case, Stage.DETERMINED, user=self.officer2)
        self.determine(
            case,
            "何俊杰",
            self.officer2,
            Outcome.LIGHTER,
            ["10(7)"],
            (
                "执法人员仅以乘客陈述认定非法营运，未调取支付记录等客观证据，"
                "证据不足；乘客事后未如实反映情况，是导致错误认定的原因之一。"
            ),
            (
                "执法人员积极查处非法营运，并非明知故犯。",
                "不属于违反明令禁止的行为。",
                "系调查取证不充分的无意过失，未谋取私利。",
            ),
            # Not exempted, so handed to the error-liability procedure (Art. 18).
            liability_referred_to=TRANSPORT_LIABILITY_REFERRED_TO,
        )
        generate_document(case, CaseDocument.Kind.DECISION_NOTICE, user=self.officer2)
        case = self.serve(case, self.officer2, [(TRANSPORT, False), ("何俊杰", True)])
        services.request_review(
            case,
            user=self.officer2,
            applicant="何俊杰",
            decision_received_on=self.today,
            requested_on=self.today,
            grounds=(
                "申请人认为：乘客陈述与现场情况相互印证，本人已尽调查取证义务，"
                "错误系乘客事后翻供所致，应认定为履职尽责（第九条第（二）项），"
                "请求撤销从轻处理的认定。"
            ),
        )

    def exemption_case(self) -> None:
        """反馈: exempt under Art. 10(2), decision notice served; the 15-day
        review window is open."""
        case = self.file(
            user=self.officer2,
            title="山大路街道对某科技公司户外招牌限期拆除案执法监督",
            agency=SHANDALU,
            field="城市管理",
            matter_type=MatterType.PENALTY,
            source=CaseSource.INSPECTION,
            summary=(
                "监督检查发现：山大路街道在户外招牌设置管理规定修订过渡期内，"
                "仍按原规定对某科技公司未经审批设置的门头招牌作出限期拆除决定，"
                "当事人认为新规定已放宽门头招牌设置要求。"
            ),
            officers=[("郭明远", ErrorType.LEGAL_BASIS)],
            days_ago=17,
        )
        case = self.start(case, self.officer2, self.officer1)
        self.activity(
            case,
            self.officer2,
            Activity.Kind.WRITTEN_REVIEW,
            15,
            "对照新旧户外招牌设置管理规定，审查限期拆除决定书及其依据。",
        )
        self.statement(
            case,
            "郭明远",
            self.officer1,
            12,
            "郭明远陈述：作出决定时新规定的实施细则尚未出台，"
            "街道按原规定执行，已向区城市管理部门请示执行口径。",
        )
        case = services.transition(case, Stage.DETERMINED, user=self.officer2)
        self.determine(
            case,
            "郭明远",
            self.officer2,
            Outcome.EXEMPT,
            ["10(2)"],
            (
                "新旧规定衔接期间实施细则未出台，政策界限不明确，"
                "执法人员按原规定作出决定，出现适用依据上的偏差。"
            ),
            (
                "属于政策调整过渡期内的认识偏差，并非明知故犯。",
                "新旧规定衔接期间缺乏明确执行口径，不属于违反明令禁止。",
                "为维护市容秩序的无意过失，未谋取私利。",
            ),
        )
        generate_document(case, CaseDocument.Kind.DECISION_NOTICE, user=self.officer2)
        self.serve(case, self.officer2, [(SHANDALU, False), ("郭明远", True)])

    def transfer_case(self) -> None:
        """核实 with a transfer to the agency (Art. 15) pending."""
        case = self.file(
            user=self.officer2,
            title="区市场监督管理局食品经营许可审批超期问题执法监督",
            agency=MARKET,
            field="市场监管",
            matter_type=MatterType.LICENSING,
            source=CaseSource.REFERRAL,
            summary=(
                "区12345市民服务热线转办：申请人反映其食品经营许可申请材料齐全，"
                "区市场监督管理局受理后逾期未作出许可决定，也未说明理由。"
            ),
            officers=[("李静怡", ErrorType.TIME_LIMIT)],
            days_ago=12,
        )
        case = self.start(case, self.officer2, self.officer3)
        self.activity(
            case,
            self.officer2,
            Activity.Kind.WRITTEN_REVIEW,
            10,
            "调取许可申请材料、受理通知书及审批系统流转记录。",
        )
        services.transfer_to_agency(
            case,
            user=self.officer2,
            reason=(
                "经初步核查，审批超期系该局内部流转环节问题，事实清楚、情节轻微，"
                "依第十五条移交区市场监督管理局自行调查处理，"
                "处理结果于处理完成后7日内报送备案。"
            ),
            received_on=self.day(8),
        )

    def repeat_case(self) -> None:
        """认定: 陈志刚 again, for the same error type as in the archived case
        above, so the determination form warns of Art. 12(5)."""
        case = self.file(
            user=self.officer2,
            title="区综合行政执法局暂扣流动摊贩经营工具执法监督",
            agency=URBAN,
            field="城市管理",
            matter_type=MatterType.COMPULSION,
            source=CaseSource.REPORT,
            summary=(
                "举报人反映：区综合行政执法局执法人员在清理流动摊贩时，"
                "未当场制作暂扣物品清单、未当场交付暂扣决定书即暂扣经营三轮车一辆。"
            ),
            officers=[("陈志刚", ErrorType.PROCEDURE)],
            days_ago=10,
        )
        case = self.start(case, self.officer2, self.officer1)
        self.activity(
            case,
            self.officer1,
            Activity.Kind.WRITTEN_REVIEW,
            8,
            "审查暂扣决定书、物品清单及执法记录仪视频，"
            "清单制作时间晚于暂扣时间两小时。",
        )
        self.statement(
            case,
            "陈志刚",
            self.officer2,
            6,
            "陈志刚陈述：当时摊贩情绪激动、围观人员较多，为避免冲突先行暂扣，"
            "回队后补制了清单和决定书。",
        )
        services.transition(case, Stage.DETERMINED, user=self.officer2)

    def recusal_case(self) -> None:
        """核实: officer3 declared a recusal, approved by the head (Art. 16);
        officer2 replaces them."""
        case = self.file(
            user=self.officer1,
            title="洪家楼街道查处某小区违规装修搭建案执法监督",
            agency=HONGJIALOU,
            field="城市管理",
            matter_type=MatterType.PENALTY,
            source=CaseSource.REPORT,
            summary=(
                "业主举报：洪家楼街道对某小区顶层住户违规搭建阳光房问题，"
                "在相同情形下对不同住户作出的处理结果明显不一致，裁量明显不当。"
            ),
            officers=[("朱文博", ErrorType.DISCRETION)],
            days_ago=6,
        )
        case = self.start(case, self.officer1, self.officer3)
        recusal = services.request_recusal(
            case,
            self.officer3,
            user=self.officer3,
            kind=Recusal.Kind.DECLARED,
            reason="本人配偶系被举报住户之一的近亲属，与本案有利害关系，申请回避。",
        )
        services.decide_recusal(recusal, user=self.head, approve=True)
        services.assign_investigator(case, self.officer2, user=self.head)
        self.activity(
            case,
            self.officer1,
            Activity.Kind.WRITTEN_REVIEW,
            4,
            "调取该小区违规搭建查处台账，比对五户住户的处理决定。",
        )

    def new_case(self) -> None:
        """立案: just filed from a report; the lead investigator is assigned."""
        case = self.file(
            user=self.officer1,
            title="洪家楼街道查处某小吃店占道经营执法监督",
            agency=HONGJIALOU,
            field="城市管理",
            matter_type=MatterType.PENALTY,
            source=CaseSource.REPORT,
            summary=(
                "举报人来信反映：洪家楼街道综合行政执法中队在查处洪楼广场周边"
                "某小吃店占道经营时，执法人员未出示执法证件，"
                "协管员未经批准即暂扣经营桌椅。经初步审查，举报有具体事实，予以立案。"
            ),
            officers=[
                ("胡海燕", ErrorType.PROCEDURE),
                ("林小军", ErrorType.CONDUCT),
            ],
            days_ago=0,
        )
        services.assign_investigator(case, self.officer1, user=self.head, is_lead=True)
