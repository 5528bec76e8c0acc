"""Case numbers (历城执监〔YYYY〕第N号): one sequence per year of filing, given
by the service layer (the factories file through it too), retried when a
concurrent filing took the number first."""

import datetime

import pytest

from casework.models import SupervisionCase
from casework.models.case import CaseQuerySet
from casework.rules import periods
from tests.testkit.factories import SupervisionCaseFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def test_numbers_run_per_year_and_restart_in_a_new_year(make_case, clock):
    clock.set(D(2026, 1, 4))  # every filing below lies in the past
    first = make_case(filed_on=D(2025, 3, 1))
    second = make_case(filed_on=D(2025, 12, 31))
    new_year = make_case(filed_on=D(2026, 1, 4))
    third = make_case(filed_on=D(2025, 12, 31))
    assert [(c.year, c.sequence) for c in (first, second, new_year, third)] == [
        (2025, 1),
        (2025, 2),
        (2026, 1),
        (2025, 3),
    ]
    assert new_year.number == "历城执监〔2026〕第1号"
    assert third.number == "历城执监〔2025〕第3号"
    assert SupervisionCase.objects.filter(year=2025).count() == 3


def test_the_factory_files_through_the_service_layer(db, clock):
    case = SupervisionCaseFactory(filed_on=D(2025, 6, 3))
    assert case.number == "历城执监〔2025〕第1号"
    assert case.case_officers.count() == 1
    assert case.decision_due == periods.investigation_deadline(D(2025, 6, 3)).end


def test_a_number_taken_meanwhile_is_retried(make_case, monkeypatch):
    """Two filings race: this one read the highest sequence before the other
    was saved. The database's uniqueness decides and the filing retries."""
    make_case(filed_on=D(2025, 5, 6))
    real_aggregate = CaseQuerySet.aggregate
    calls = []

    def stale_then_fresh(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            return {"top": None}  # the read that missed the other filing
        return real_aggregate(self, *args, **kwargs)

    monkeypatch.setattr(CaseQuerySet, "aggregate", stale_then_fresh)
    case = make_case(filed_on=D(2025, 5, 7))
    assert len(calls) == 2
    assert (case.sequence, case.number) == (2, "历城执监〔2025〕第2号")
    assert list(
        SupervisionCase.objects.order_by("sequence").values_list("sequence", flat=True)
    ) == [1, 2]
