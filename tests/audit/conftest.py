"""Fixtures of the audit log tests: people in each role, a case built through
the casework services to the stage a test needs, and a report."""

import datetime

import pytest
from django.core.cache import cache

from audit.models import AuditEvent
from casework import services
from casework.models import ErrorType, MatterType
from casework.rules.stages import Stage
from reporting import services as reporting
from reporting.models import Report
from tests.testkit.factories import (
    DETERMINED_ON,
    FILED_ON,
    HEARD_ON,
    AgencyFactory,
    EnforcementFieldFactory,
    HeadFactory,
    LiaisonFactory,
    OfficerFactory,
    SupervisionOfficerFactory,
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


class Clock:
    def __init__(self, day: datetime.date):
        self.day = day

    def set(self, day):
        self.day = day

    def __call__(self):
        return self.day


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(FILED_ON)
    monkeypatch.setattr(services, "today", clock)
    return clock


@pytest.fixture
def agency(db):
    return AgencyFactory(
        name="历城区市场监督管理局", fields=[EnforcementFieldFactory(name="市场监管")]
    )


@pytest.fixture
def head(db):
    return HeadFactory(username="head")


@pytest.fixture
def investigator(db):
    return SupervisionOfficerFactory(username="inv1")


@pytest.fixture
def investigator2(db):
    return SupervisionOfficerFactory(username="inv2")


@pytest.fixture
def outsider(db):
    """An agency liaison of another agency: in the admin, but sees neither
    the case nor any report."""
    return LiaisonFactory(username="outsider")


@pytest.fixture
def case(clock, agency, investigator):
    return services.file_case(
        user=investigator,
        title="某餐饮公司食品安全行政处罚案执法监督",
        agency=agency,
        field=agency.fields.first(),
        matter_type=MatterType.PENALTY,
        source="report",
        summary="举报反映处罚决定认定事实不清。",
        officers=[(OfficerFactory(name="张三", agency=agency), ErrorType.EVIDENCE)],
        filed_on=FILED_ON,
    )


@pytest.fixture
def determined_case(case, clock, head, investigator, investigator2):
    services.assign_investigator(case, investigator, user=head, is_lead=True)
    services.assign_investigator(case, investigator2, user=head)
    case = services.transition(case, Stage.VERIFYING, user=investigator)
    clock.set(HEARD_ON)
    for link in case.case_officers.all():
        services.record_statement(
            link, user=investigator, heard_on=HEARD_ON, content="已按程序履职。"
        )
    case = services.transition(case, Stage.DETERMINED, user=investigator)
    clock.set(DETERMINED_ON)
    return case


@pytest.fixture
def real_name_report(agency):
    report, _code = reporting.submit_report(
        kind=Report.Kind.REAL_NAME,
        name="王建国",
        contact="13905310000",
        subject="执法人员检查时未出示执法证件",
        description="检查时未出示执法证件。",
        agency=agency,
    )
    return report


@pytest.fixture
def events():
    """The audit rows written since the fixture was set up, oldest first."""
    start = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()

    def new(**filters):
        return list(
            AuditEvent.objects.filter(pk__gt=start or 0, **filters)
            .select_related("content_type")
            .order_by("pk")
        )

    return new
