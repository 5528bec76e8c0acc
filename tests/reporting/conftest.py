"""Fixtures of the reporting channel tests: people in each role, a report
filed through the public form, and a client that solves the proof of work the
way the browser does."""

import re

import pytest
from django.core.cache import cache

from casework.models import ErrorType
from reporting import challenge, services
from reporting.models import Report
from tests.testkit.factories import (
    AgencyFactory,
    HeadFactory,
    LiaisonFactory,
    OfficerFactory,
    ReviewerFactory,
    SupervisionCaseFactory,
    SupervisionOfficerFactory,
)


@pytest.fixture(autouse=True)
def _fresh_limits():
    """Rate-limit counters and used challenges live in the cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def agency(db):
    return AgencyFactory(name="区市场监督管理局")


@pytest.fixture
def officer_user(db):
    return SupervisionOfficerFactory(first_name="佳琪", last_name="宋")


@pytest.fixture
def head_user(db):
    return HeadFactory(first_name="立新", last_name="韩")


@pytest.fixture
def liaison_user(agency):
    return LiaisonFactory(agency=agency)


@pytest.fixture
def reviewer_user(db):
    return ReviewerFactory()


@pytest.fixture
def case(agency, officer_user):
    """A case about an officer whose name must never reach the reporter."""
    return SupervisionCaseFactory(
        agency=agency,
        filed_by=officer_user,
        officers=[(OfficerFactory(agency=agency, name="欧阳振华"), ErrorType.EVIDENCE)],
    )


@pytest.fixture
def decide_case():
    """Investigate, determine every person and decide a case (Art. 14-17):
    a report's result exists only then (Art. 22)."""
    from casework import services as casework
    from casework.rules.articles import Outcome
    from casework.rules.stages import Stage
    from tests.testkit.factories import DISTINCTIONS

    def decide(case, head, officer_user, outcome=Outcome.EXEMPT):
        second = SupervisionOfficerFactory()
        casework.assign_investigator(case, officer_user, user=head)
        casework.assign_investigator(case, second, user=head)
        case = casework.transition(case, Stage.VERIFYING, user=officer_user)
        today = casework.today()
        for link in case.case_officers.all():
            casework.record_statement(
                link, user=officer_user, heard_on=today, content="陈述申辩。"
            )
        case = casework.transition(case, Stage.DETERMINED, user=officer_user)
        basis = {Outcome.EXEMPT: ["10(2)"], Outcome.LIGHTER: ["10(7)"]}[outcome]
        for link in case.case_officers.all():
            casework.determine(
                link,
                user=officer_user,
                outcome=outcome,
                basis=basis,
                facts="查明的事实。",
                liability_referred_to="" if outcome == Outcome.EXEMPT else "工作组",
                **DISTINCTIONS,
            )
        return casework.transition(case, Stage.NOTIFIED, user=head)

    return decide


@pytest.fixture
def proof():
    """A fresh, solved proof of work, as reporting.js would send it."""
    return lambda: challenge.solve(challenge.issue())


@pytest.fixture
def report_data(agency):
    """What a real-name reporter types into the form."""
    return {
        "kind": Report.Kind.REAL_NAME,
        "name": "王建国",
        "contact": "13905310000",
        "subject": "执法人员检查时未出示执法证件",
        "agency": str(agency.pk),
        "agency_text": "",
        "persons": "胸牌尾号27的执法人员",
        "occurred_on": "2026-11-20",
        "place": "花园路早市",
        "description": "检查时未出示执法证件，对摊主大声呵斥。",
        "pledge": "on",
    }


@pytest.fixture
def real_name_report(agency):
    report, code = services.submit_report(
        kind=Report.Kind.REAL_NAME,
        name="王建国",
        contact="13905310000",
        subject="执法人员检查时未出示执法证件",
        description="检查时未出示执法证件。",
        agency=agency,
    )
    report.code = code
    return report


@pytest.fixture
def anonymous_report(agency):
    report, code = services.submit_report(
        kind=Report.Kind.ANONYMOUS,
        subject="街道执法人员收受好处",
        description="怀疑执法人员收了好处后不再查处。",
        agency=agency,
    )
    report.code = code
    return report


RECEIPT = re.compile(r"data-receipt-code[^>]*>\s*([\d ]{19})\s*<")


@pytest.fixture
def receipt_of():
    """The receipt code as the receipt page shows it."""

    def read(html: str) -> str:
        match = RECEIPT.search(html)
        assert match, "the receipt page shows the code"
        return match.group(1)

    return read


@pytest.fixture
def png_bytes():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    return out.getvalue()
