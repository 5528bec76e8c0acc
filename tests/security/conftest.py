"""The world of the access-matrix tests: one user per role and one object of
every kind casework and reporting keep, each built through the services the
portal itself uses (never saved around them), so the matrix exercises the
real permission code paths.

===================  =========================================================
role                 who
===================  =========================================================
anonymous            nobody signed in
editor               编辑 (publishing)
legal                法制审核 (publishing)
liaison_a            执法机关联络员 of agency A
liaison_b            执法机关联络员 of agency B
officer_assigned     监督机构工作人员 assigned to case A
officer_unassigned   监督机构工作人员, not assigned to anything
officer_recused      监督机构工作人员, recused (approved) from case A
reviewer             复核人员 (case A has a review request)
head                 监督机构负责人
superuser            Django superuser
===================  =========================================================
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.base import ContentFile

from casework import services
from casework.deadlines import check_deadlines
from casework.documents import generate_document
from casework.models import (
    CalendarDay,
    CalendarYear,
    CaseDocument,
    ErrorType,
    LiaisonAssignment,
    MatterType,
    MeasureValidity,
    Notification,
    Recusal,
    RiskPoint,
)
from casework.reports import generate_report
from casework.risk_points import issue_risk_warnings
from casework.rules.stages import Stage
from reporting import services as reporting_services
from reporting.models import Report, ReportAttachment
from tests.testkit.factories import (
    DECIDED_ON,
    FILED_ON,
    HEARD_ON,
    SERVED_ON,
    AgencyFactory,
    EnforcementFieldFactory,
    HeadFactory,
    LiaisonFactory,
    OfficerFactory,
    ReviewerFactory,
    SupervisionOfficerFactory,
    UserFactory,
    determine_exempt,
    determine_no_tolerance,
    reload,
)

EDITOR = "编辑"
LEGAL_REVIEWER = "法制审核"

ROLES = (
    "anonymous",
    "editor",
    "legal",
    "liaison_a",
    "liaison_b",
    "officer_assigned",
    "officer_unassigned",
    "officer_recused",
    "reviewer",
    "head",
    "superuser",
)

PDF = b"%PDF-1.4\n% case file\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and the page cache live in the cache."""
    cache.clear()
    yield
    cache.clear()


class Clock:
    def __init__(self, day: datetime.date):
        self.day = day

    def __call__(self) -> datetime.date:
        return self.day


def _upload(name: str, content: bytes = PDF) -> ContentFile:
    return ContentFile(content, name=name)


def _report_attachment(report: Report, name: str) -> ReportAttachment:
    return ReportAttachment.objects.create(
        report=report,
        file=_upload(name),
        original_name=name,
        content_type="application/pdf",
        size=len(PDF),
    )


def _case_a(w, clock) -> None:
    """Case A (agency A) walked to 反馈 with a review request: determinations,
    a generated opinion letter, attachments for the office and for the
    agency, and an approved recusal."""
    case = services.file_case(
        user=w.officer_assigned,
        title="某餐饮公司食品安全行政处罚案执法监督",
        agency=w.agency_a,
        field=w.field,
        matter_type=MatterType.PENALTY,
        source="report",
        summary="举报反映处罚决定认定事实不清、程序不当。机密摘要A",
        filed_on=FILED_ON,
        officers=[
            (w.person_a1, ErrorType.EVIDENCE),
            (w.person_a2, ErrorType.PROCEDURE),
        ],
    )
    services.assign_investigator(case, w.officer_assigned, user=w.head, is_lead=True)
    services.assign_investigator(case, w.officer_recused, user=w.head)
    services.assign_investigator(case, w.officer_second, user=w.head)
    services.transition(case, Stage.VERIFYING, user=w.officer_assigned)
    recusal = services.request_recusal(
        case,
        w.officer_recused,
        user=w.officer_recused,
        kind=Recusal.Kind.DECLARED,
        reason="与被调查人系近亲属。",
    )
    services.decide_recusal(recusal, user=w.head, approve=True)
    w.office_attachment = services.add_attachment(
        case,
        user=w.officer_assigned,
        title="询问笔录",
        file=_upload("inquiry.pdf"),
    )
    w.agency_attachment = services.add_attachment(
        case,
        user=w.officer_assigned,
        title="整改通知",
        file=_upload("notice.pdf"),
        visible_to_agency=True,
    )
    clock.day = HEARD_ON
    for link in case.case_officers.all():
        services.record_statement(
            link,
            user=w.officer_assigned,
            heard_on=HEARD_ON,
            content=f"{link.officer.name}陈述：已按程序履职。",
        )
    case = services.transition(reload(case), Stage.DETERMINED, user=w.officer_assigned)
    clock.day = datetime.date(2025, 9, 20)
    links = {link.officer: link for link in case.case_officers.all()}
    determine_exempt(links[w.person_a1], w.officer_assigned)
    determine_no_tolerance(links[w.person_a2], w.officer_assigned)
    clock.day = SERVED_ON
    case = services.transition(case, Stage.NOTIFIED, user=w.head, decided_on=DECIDED_ON)
    services.record_notification(
        case,
        user=w.officer_assigned,
        recipient=case.agency.name,
        is_party=False,
        method=Notification.Method.IN_PERSON,
        served_on=SERVED_ON,
    )
    # Art. 18 para. 2: the letter follows the finding on the act.
    services.record_act_finding(
        case,
        user=w.officer_assigned,
        finding="unlawful",
        reasons="未履行告知程序。",
        found_on=SERVED_ON,
    )
    w.document_a = generate_document(
        reload(case), CaseDocument.Kind.OPINION_LETTER, user=w.officer_assigned
    )
    services.request_review(
        reload(case),
        user=w.officer_assigned,
        applicant="张某",
        decision_received_on=SERVED_ON,
        requested_on=SERVED_ON,
        grounds="认为认定事实不清。",
    )
    w.case_a = reload(case)


def _case_b(w) -> None:
    case = services.file_case(
        user=w.officer_unassigned,
        title="某街道违法建设强制拆除案执法监督",
        agency=w.agency_b,
        field=w.field,
        matter_type=MatterType.COMPULSION,
        source="report",
        summary="反映强制拆除程序违法。机密摘要B",
        filed_on=FILED_ON,
        officers=[(w.person_b, ErrorType.PROCEDURE)],
    )
    w.attachment_b = services.add_attachment(
        case,
        user=w.officer_unassigned,
        title="现场照片说明",
        file=_upload("site.pdf"),
        visible_to_agency=True,
    )
    w.case_b = reload(case)


def _reports(w) -> None:
    linked, _code = reporting_services.submit_report(
        kind=Report.Kind.REAL_NAME,
        name="王建国",
        contact="13905310000",
        subject="执法人员检查时未出示执法证件",
        description="检查时未出示执法证件。",
        agency=w.agency_a,
    )
    w.linked_attachment = _report_attachment(linked, "evidence.pdf")
    reporting_services.attach_to_case(linked, user=w.officer_assigned, case=w.case_a)
    unlinked, _code = reporting_services.submit_report(
        kind=Report.Kind.ANONYMOUS,
        subject="街道执法人员收受好处",
        description="怀疑执法人员收了好处后不再查处。",
        agency=w.agency_b,
    )
    w.unlinked_attachment = _report_attachment(unlinked, "photo.pdf")
    w.report_linked = Report.objects.get(pk=linked.pk)
    w.report_unlinked = Report.objects.get(pk=unlinked.pk)


def _risk_points(w, clock) -> None:
    def point(agency):
        created = RiskPoint.objects.create(
            scope=RiskPoint.Scope.AGENCY,
            agency=agency,
            error_type=ErrorType.PROCEDURE,
            case_count=2,
            threshold=2,
            window_days=180,
            first_detected_on=clock.day,
            last_detected_on=clock.day,
        )
        (warning,) = issue_risk_warnings(
            created,
            user=w.head,
            agencies=[agency],
            content="程序类问题反复出现。",
            requirements="开展程序规范专项培训。",
            deadline=clock.day + datetime.timedelta(days=30),
        )
        return created, warning

    w.risk_a, w.risk_warning_a = point(w.agency_a)
    w.risk_a.cases.add(w.case_a)
    w.risk_b, w.risk_warning_b = point(w.agency_b)
    w.risk_b.cases.add(w.case_b)


def _wagtail_documents(w) -> None:
    from wagtail.documents import get_document_model
    from wagtail.models import Collection, CollectionViewRestriction

    Document = get_document_model()
    root = Collection.get_first_root_node()
    private = root.add_child(name="内部资料")
    restriction = CollectionViewRestriction.objects.create(
        collection=private,
        restriction_type=CollectionViewRestriction.GROUPS,
    )
    restriction.groups.set(Group.objects.filter(name__in=["监督机构负责人"]))
    w.private_collection = private
    w.private_doc = Document.objects.create(
        title="内部工作规程", file=_upload("internal-rules.pdf"), collection=private
    )
    w.public_doc = Document.objects.create(
        title="公开的办事指南", file=_upload("public-guide.pdf"), collection=root
    )


@pytest.fixture
def world(db, monkeypatch):
    """Every role and every object of the matrix (see the module docstring)."""
    clock = Clock(FILED_ON)
    monkeypatch.setattr(services, "today", clock)
    w = SimpleNamespace(clock=clock)
    w.field = EnforcementFieldFactory(name="市场监管")
    w.agency_a = AgencyFactory(name="历城区市场监督管理局", fields=[w.field])
    w.agency_b = AgencyFactory(name="洪家楼街道办事处", fields=[w.field])
    w.person_a1 = OfficerFactory(name="张三", agency=w.agency_a)
    w.person_a2 = OfficerFactory(name="李四", agency=w.agency_a)
    w.person_b = OfficerFactory(name="王五", agency=w.agency_b)

    w.anonymous = None
    w.editor = UserFactory(username="editor", is_staff=True, roles=[])
    w.editor.groups.add(Group.objects.get(name=EDITOR))
    w.legal = UserFactory(username="legal", is_staff=True, roles=[])
    w.legal.groups.add(Group.objects.get(name=LEGAL_REVIEWER))
    w.liaison_a = LiaisonFactory(username="liaison_a", agency=w.agency_a)
    w.liaison_b = LiaisonFactory(username="liaison_b", agency=w.agency_b)
    w.officer_assigned = SupervisionOfficerFactory(username="officer_assigned")
    w.officer_second = SupervisionOfficerFactory(username="officer_second")
    w.officer_unassigned = SupervisionOfficerFactory(username="officer_unassigned")
    w.officer_recused = SupervisionOfficerFactory(username="officer_recused")
    w.reviewer = ReviewerFactory(username="reviewer")
    w.head = HeadFactory(username="head")
    w.superuser = UserFactory(
        username="root", is_staff=True, is_superuser=True, roles=[]
    )

    _case_a(w, clock)
    _case_b(w)
    _reports(w)
    w.periodic_report = generate_report("month", 2025, 9, user=w.head)
    _risk_points(w, clock)
    # Red warnings on both cases (their periods have long passed).
    check_deadlines(mail=False)
    _wagtail_documents(w)
    w.calendar_day = CalendarDay.objects.create(
        date=datetime.date(2027, 1, 1), kind=CalendarDay.Kind.HOLIDAY, note="元旦"
    )
    w.calendar_year = CalendarYear.objects.create(year=2027, confirmed=False)
    w.measure_validity = MeasureValidity.objects.create(
        title="关于延长实施办法有效期的通知",
        document_number="济历城政发〔2027〕1号",
        effective_from=datetime.date(2027, 3, 1),
        effective_until=datetime.date(2029, 2, 28),
        basis="延期通知",
    )
    w.liaison_assignment_a = LiaisonAssignment.objects.get(user=w.liaison_a)
    return w
