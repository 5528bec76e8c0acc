"""Fixtures for the casework service-layer and visibility tests.

Every date the services take from ``casework.services.today`` comes from the
``clock`` fixture, so the deadlines, the review window and the decision date
are the same on any day the suite runs. Cases are built step by step through
the service layer only: ``case`` (立案) → ``verifying_case`` (核实, two
investigators) → ``ready_case`` (statements recorded) → ``determined_case``
(认定) → ``notified_case`` (反馈, both officers determined and served).

The services refuse a date on a case before its filing or after today, so
the clock moves forward as a case does, the way the days pass in the office:

=================== ============================== =========================
fixture             clock (today) afterwards       dates it records
=================== ============================== =========================
``case``            FILED_ON (2025-09-01)          filed on FILED_ON
``verifying_case``  FILED_ON
``ready_case``      HEARD_ON (2025-09-10)          statements on HEARD_ON
``determined_case`` DETERMINED_ON (2025-09-20)
``notified_case``   SERVED_ON (2025-09-26)         determined DETERMINED_ON,
                                                   decided DECIDED_ON,
                                                   served SERVED_ON
=================== ============================== =========================

A test that records a later date first moves the clock (``clock.set``).
"""

import datetime

import pytest
from django.apps import apps
from django.db import transaction

from casework import services
from casework.models import (
    Agency,
    ErrorType,
    MatterType,
    Notification,
    SupervisionCase,
)
from casework.rules.stages import Stage
from tests.testkit.factories import (
    DECIDED_ON,
    DETERMINED_ON,
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
    determine_exempt,
    determine_no_tolerance,
    reload,
)


class Clock:
    """The services' idea of today, under the test's control."""

    def __init__(self, day: datetime.date):
        self.day = day

    def set(self, day: datetime.date) -> datetime.date:
        self.day = day
        return day

    def __call__(self) -> datetime.date:
        return self.day


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(FILED_ON)
    monkeypatch.setattr(services, "today", clock)
    return clock


@pytest.fixture
def refused():
    """Call a service expecting a CaseworkError; return its messages joined."""

    def call(fn, *args, **kwargs) -> str:
        with pytest.raises(services.CaseworkError) as excinfo:
            fn(*args, **kwargs)
        messages = excinfo.value.messages
        assert messages, "a refusal must say why"
        return "\n".join(messages)

    return call


class _Accepted(Exception):
    """Rolls back a call that should have been refused."""


@pytest.fixture
def not_refused():
    """Run each of ``calls`` (name → callable) in a savepoint; return those not
    refused with a message containing ``expected``, with what they did
    instead. A call that went through is rolled back so that it cannot
    change what the next one sees."""

    def check(calls: dict, expected: str, *args) -> dict:
        let_through = {}
        for name, call in calls.items():
            try:
                with transaction.atomic():
                    call(*args)
                    raise _Accepted
            except _Accepted:
                let_through[name] = "accepted"
            except services.CaseworkError as error:
                if not any(expected in m for m in error.messages):
                    let_through[name] = error.messages
        return let_through

    return check


@pytest.fixture
def db_snapshot():
    """Row counts of every casework model (historical records included) and
    the stage and dates of every case: equal before and after a refused
    operation means nothing was half-saved."""

    def snapshot() -> dict:
        counts = {
            model._meta.label: model._default_manager.count()
            for model in apps.get_app_config("casework").get_models()
        }
        counts["cases"] = list(
            SupervisionCase.objects.order_by("pk").values_list(
                "pk",
                "stage",
                "decided_on",
                "notified_on",
                "decision_due",
                "notification_due",
                "correction_required",
                "archived_at",
            )
        )
        return counts

    return snapshot


# --- Reference data and people ------------------------------------------------


@pytest.fixture
def field(db):
    return EnforcementFieldFactory(name="市场监管")


@pytest.fixture
def agency(field):
    return AgencyFactory(
        name="历城区市场监督管理局", kind=Agency.Kind.DEPARTMENT, fields=[field]
    )


@pytest.fixture
def other_agency(field):
    return AgencyFactory(name="洪家楼街道办事处", fields=[field])


@pytest.fixture
def officer_a(agency):
    return OfficerFactory(name="张三", agency=agency)


@pytest.fixture
def officer_b(agency):
    return OfficerFactory(name="李四", agency=agency)


@pytest.fixture
def head(db):
    return HeadFactory(username="head", last_name="赵", first_name="主任")


@pytest.fixture
def other_head(db):
    return HeadFactory(username="deputy_head", last_name="钱", first_name="副主任")


@pytest.fixture
def investigator(db):
    return SupervisionOfficerFactory(username="inv1", last_name="孙", first_name="明")


@pytest.fixture
def investigator2(db):
    return SupervisionOfficerFactory(username="inv2", last_name="周", first_name="亮")


@pytest.fixture
def liaison(agency):
    return LiaisonFactory(username="liaison", agency=agency)


@pytest.fixture
def other_liaison(other_agency):
    return LiaisonFactory(username="liaison_other", agency=other_agency)


@pytest.fixture
def reviewer(db):
    return ReviewerFactory(username="reviewer")


# --- Cases, stage by stage, through the service layer -------------------------


@pytest.fixture
def make_case(clock, agency, field, investigator, officer_a):
    """File a case through services.file_case with sensible defaults."""

    def make(**kwargs) -> SupervisionCase:
        kwargs.setdefault("user", investigator)
        kwargs.setdefault("title", "某餐饮公司食品安全行政处罚案执法监督")
        kwargs.setdefault("agency", agency)
        kwargs.setdefault("field", field)
        kwargs.setdefault("matter_type", MatterType.PENALTY)
        kwargs.setdefault("source", "report")
        kwargs.setdefault("summary", "举报反映处罚决定认定事实不清、程序不当。")
        kwargs.setdefault("officers", [(officer_a, ErrorType.EVIDENCE)])
        kwargs.setdefault("filed_on", FILED_ON)
        return services.file_case(**kwargs)

    return make


@pytest.fixture
def case(make_case, officer_a, officer_b):
    """立案: two officers concerned."""
    return make_case(
        officers=[
            (officer_a, ErrorType.EVIDENCE),
            (officer_b, ErrorType.PROCEDURE),
        ]
    )


@pytest.fixture
def verifying_case(case, head, investigator, investigator2):
    """核实: two officer-role investigators assigned by the head."""
    services.assign_investigator(case, investigator, user=head, is_lead=True)
    services.assign_investigator(case, investigator2, user=head)
    return services.transition(case, Stage.VERIFYING, user=investigator)


@pytest.fixture
def ready_case(verifying_case, clock, investigator):
    """核实, ready to leave it: every officer's statement is recorded, heard on
    HEARD_ON (today)."""
    clock.set(HEARD_ON)
    for link in verifying_case.case_officers.all():
        services.record_statement(
            link,
            user=investigator,
            heard_on=HEARD_ON,
            content=f"{link.officer.name}陈述：已按程序履职，相对人隐瞒了关键证据。",
        )
    return reload(verifying_case)


@pytest.fixture
def determined_case(ready_case, clock, investigator):
    """认定: the investigation is complete; today is DETERMINED_ON, the day the
    ``determine_*`` builders date their determinations."""
    case = services.transition(ready_case, Stage.DETERMINED, user=investigator)
    clock.set(DETERMINED_ON)
    return case


@pytest.fixture
def notified_case(determined_case, clock, investigator, officer_a, officer_b, head):
    """反馈: 张三 exempt, 李四 no tolerance, both on DETERMINED_ON; decided on
    DECIDED_ON and served on the agency the next day, SERVED_ON, which is
    today afterwards."""
    links = {link.officer: link for link in determined_case.case_officers.all()}
    determine_exempt(links[officer_a], investigator)
    determine_no_tolerance(links[officer_b], investigator)
    clock.set(SERVED_ON)
    case = services.transition(
        determined_case, Stage.NOTIFIED, user=head, decided_on=DECIDED_ON
    )
    services.record_notification(
        case,
        user=investigator,
        recipient=case.agency.name,
        is_party=False,
        method=Notification.Method.IN_PERSON,
        served_on=SERVED_ON,
    )
    return reload(case)
