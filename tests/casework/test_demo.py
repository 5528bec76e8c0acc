"""The casework demo (casework.demo.load_casework_demo): built through the
service layer, idempotent, with every stage and every role's view populated."""

import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from wagtail import hooks

from casework import services
from casework.demo import DEMO_USERS, JOINT_COUNTERPART, MARKET, load_casework_demo
from casework.models import (
    Activity,
    CaseDocument,
    Correction,
    Determination,
    Extension,
    Notification,
    Recusal,
    Review,
    Statement,
    SupervisionCase,
    Transfer,
)
from casework.rules.articles import Outcome, is_error
from casework.rules.stages import Stage
from portal.demo import DEMO_ADMIN_PASSWORD
from portal.hooks import DEMO_CONTENT

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    """Rows of every model (historical records included) and every case's state."""
    counts = {
        model._meta.label: model._default_manager.count() for model in apps.get_models()
    }
    counts["cases"] = list(
        SupervisionCase.objects.order_by("pk").values_list(
            "number", "stage", "decision_due", "decided_on", "notified_on"
        )
    )
    return counts


@pytest.fixture
def demo():
    out = io.StringIO()
    load_casework_demo(home=None, stdout=out)
    return out.getvalue()


def user(username):
    return get_user_model().objects.get(username=username)


def test_loading_twice_changes_nothing(demo):
    before = row_counts()
    out = io.StringIO()
    load_casework_demo(home=None, stdout=out)
    assert row_counts() == before
    assert "head" not in out.getvalue()


def test_logins_are_printed_once_with_the_demo_password(demo):
    for username in DEMO_USERS:
        assert username in demo
        assert user(username).check_password(DEMO_ADMIN_PASSWORD)
    assert DEMO_ADMIN_PASSWORD in demo


def test_every_stage_is_shown(demo):
    stages = set(SupervisionCase.objects.values_list("stage", flat=True))
    assert stages == {stage.value for stage in Stage}


def test_a_case_is_overdue(demo):
    overdue = SupervisionCase.objects.overdue()
    assert overdue.count() == 1
    case = overdue.get()
    assert case.stage == Stage.VERIFYING
    assert not case.extensions.exists()


def test_officer3_cannot_see_the_case_they_are_recused_from(demo):
    officer3 = user("officer3")
    recusal = Recusal.objects.get(person=officer3)
    assert recusal.status == Recusal.Status.APPROVED
    assert recusal.decided_by == user("head")
    visible = SupervisionCase.objects.visible_to(officer3)
    assert recusal.case not in visible
    assert visible.count() == SupervisionCase.objects.count() - 1
    assert not recusal.case.assignments.filter(
        investigator=officer3, active=True
    ).exists()
    assert recusal.case.assignments.filter(active=True).count() == 2


def test_the_market_liaison_sees_only_the_market_agency_cases(demo):
    visible = SupervisionCase.objects.visible_to(user("liaison_market"))
    assert visible.exists()
    assert set(visible.values_list("agency__name", flat=True)) == {MARKET}
    assert (
        visible.count() == SupervisionCase.objects.filter(agency__name=MARKET).count()
    )
    # The liaison has work to do: a transfer and a correction.
    assert Transfer.objects.filter(case__in=visible, result_filed_on=None).exists()
    assert Correction.objects.filter(
        case__in=visible, progress_reports__created_by__username="liaison_market"
    ).exists()


def test_the_reviewer_sees_the_review_cases(demo):
    visible = SupervisionCase.objects.visible_to(user("reviewer"))
    with_reviews = SupervisionCase.objects.filter(reviews__isnull=False).distinct()
    assert set(visible) == set(with_reviews)
    pending = Review.objects.get(result="")
    assert pending.case in visible
    assert pending.case.stage == Stage.NOTIFIED


def test_the_scenarios_of_the_measures_are_present(demo):
    # Art. 12(5): an earlier exemption of the same officer for the same error.
    repeat = SupervisionCase.objects.get(
        stage=Stage.DETERMINED, case_officers__officer__name="陈志刚"
    )
    link = repeat.case_officers.get()
    assert not Determination.objects.filter(case_officer=link).exists()
    earlier = services.prior_exemptions(link)
    assert [d.case_officer.case.stage for d in earlier] == [Stage.ARCHIVED]
    # Art. 12(3) no tolerance, handed to the error-liability procedure.
    no_tolerance = Determination.objects.get(outcome=Outcome.NO_TOLERANCE)
    assert no_tolerance.basis == ["12(3)"]
    assert no_tolerance.liability_referred_to == "区纪委监委（第十八条）"
    correcting = no_tolerance.case_officer.case
    assert correcting.stage == Stage.CORRECTING
    assert correcting.joint_counterpart == JOINT_COUNTERPART
    assert set(correcting.documents.values_list("kind", flat=True)) == {
        CaseDocument.Kind.OPINION_LETTER,
        CaseDocument.Kind.DECISION_NOTICE,
    }
    # Art. 10(2) exemption served, the review window still open.
    exempt = Determination.objects.get(basis=["10(2)"]).case_officer.case
    assert exempt.stage == Stage.NOTIFIED
    assert services.case_facts(exempt).review_window_open
    # Art. 17 extension requested by officer1, approved by the head.
    extension = Extension.objects.get()
    assert extension.status == Extension.Status.APPROVED
    assert extension.created_by == user("officer1")
    assert extension.decided_by == user("head")
    # Art. 14 hearing, held; Art. 16 appraisal still running.
    hearing_case = SupervisionCase.objects.get(is_major_complex=True)
    assert hearing_case.hearings.get().held_on is not None
    assert hearing_case.hearings.get().approved_by == user("head")
    appraisal = SupervisionCase.objects.get(
        activities__kind="appraisal", activities__appraisal_ended_on=None
    )
    assert services.case_facts(appraisal).pending_appraisal
    assert services.paused_days(appraisal) > 0


def test_every_date_lies_between_the_filing_and_today(demo):
    """The dates the services check: activities, appraisals, statements,
    determinations and decisions from the filing to today; service from the
    decision; review requests from receipt of the decision."""
    today = timezone.localdate()
    dated = [
        (a.case, day)
        for a in Activity.objects.select_related("case")
        for day in (a.occurred_on, a.appraisal_started_on, a.appraisal_ended_on)
        if day
    ]
    dated += [
        (s.case_officer.case, s.heard_on)
        for s in Statement.objects.select_related("case_officer__case")
    ]
    dated += [
        (d.case_officer.case, d.decided_on)
        for d in Determination.objects.select_related("case_officer__case")
    ]
    dated += [
        (case, case.decided_on)
        for case in SupervisionCase.objects.exclude(decided_on=None)
    ]
    assert dated
    for case, day in dated:
        assert case.filed_on <= day <= today, (case.number, day)
    for notification in Notification.objects.select_related("case"):
        assert notification.case.decided_on <= notification.served_on <= today
    for review in Review.objects.select_related("case"):
        assert review.case.decided_on <= review.decision_received_on
        assert review.decision_received_on <= review.requested_on <= today


def test_every_outcome_short_of_exemption_is_referred_for_liability(demo):
    determinations = Determination.objects.all()
    assert {d.outcome for d in determinations} >= {
        Outcome.LIGHTER,
        Outcome.MITIGATION_LIGHTER,
        Outcome.NO_TOLERANCE,
    }
    for determination in determinations:
        error = is_error(determination.outcome)
        assert determination.counts_as_error is error
        assert bool(determination.liability_referred_to) is error
        assert determination.liability_referred_on == (
            determination.decided_on if error else None
        )


def test_load_demo_runs_the_hook_and_then_indexes():
    # The lead registers the hook in casework.wagtail_hooks; registering it
    # here as well only calls it twice, which changes nothing.
    with hooks.register_temporarily(DEMO_CONTENT, load_casework_demo):
        call_command("load_demo", "--allow-production", stdout=io.StringIO())
        before = row_counts()
        call_command("load_demo", "--allow-production", stdout=io.StringIO())
    assert row_counts() == before
    assert SupervisionCase.objects.count() == 13


def test_demo_shows_warnings_a_report_and_a_risk_point(demo):
    from casework.models import DeadlineWarning, PeriodicReport, RiskPoint

    # The overdue case (filed 45 days ago, no extension) is warned red.
    assert DeadlineWarning.objects.filter(level="red", label="调查终结期限").exists()
    assert (
        DeadlineWarning.objects.get(level="red", label="调查终结期限")
        .notices.filter(recipient__username="head")
        .exists()
    )
    (report,) = PeriodicReport.objects.all()
    assert report.scheduled and report.docx and report.xlsx
    (point,) = RiskPoint.objects.all()
    assert point.scope == RiskPoint.Scope.AGENCY
    assert point.agency.name == "区综合行政执法局"
    assert point.case_count == 2
