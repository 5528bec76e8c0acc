"""factory_boy factories shared by the tests of every app.

Reference data (fields, agencies, officers) is built directly; users get their
casework role through the groups created by migration 0002 (names in
casework.roles), so the tests exercise the same role lookup as the portal.
Cases themselves are filed through casework.services (SupervisionCaseFactory
calls services.file_case), never saved around the service layer.
"""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from casework import services
from casework.models import (
    Agency,
    CaseSource,
    EnforcementField,
    ErrorType,
    LiaisonAssignment,
    MatterType,
    Officer,
    Review,
    SupervisionCase,
)
from casework.roles import HEAD, LIAISON, OFFICER, REVIEWER
from casework.rules import periods
from casework.rules.articles import Outcome

FILED_ON = datetime.date(2025, 9, 1)
"""The default filing date: a Monday, with the National Day holiday inside
its 30-day period, so deadlines exercise the holiday roll-over."""

DISTINCTIONS = {
    "distinction_reform": "属于改革探索中出现的失误，并非明知故犯。",
    "distinction_exploration": "上级尚无明确限制的探索性试验，未违反明令禁止。",
    "distinction_intent": "为推动发展的无意过失，未谋取私利。",
}
"""Reasoned answers to the three distinctions of Art. 2."""

HEARD_ON = datetime.date(2025, 9, 10)
"""The day the statements of the ``ready_case`` fixture are heard."""

DETERMINED_ON = datetime.date(2025, 9, 20)
"""The default day of a determination (the ``determine_*`` builders)."""

DECIDED_ON = datetime.date(2025, 9, 25)
"""The day the walkthrough's decision is made and the case moves to 反馈."""

SERVED_ON = DECIDED_ON + datetime.timedelta(days=1)
"""The day the ``notified_case`` decision is served, and its clock's today."""


class EnforcementFieldFactory(DjangoModelFactory):
    class Meta:
        model = EnforcementField
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"市场监管领域{n}")


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"历城区第{n}街道办事处")
    kind = Agency.Kind.STREET

    @factory.post_generation
    def fields(self, create, extracted, **kwargs):
        if create and extracted:
            self.fields.add(*extracted)


class OfficerFactory(DjangoModelFactory):
    """行政执法人员: a person a case may concern (not a portal user)."""

    class Meta:
        model = Officer

    name = factory.Sequence(lambda n: f"执法人员{n}")
    agency = factory.SubFactory(AgencyFactory)
    status = Officer.Status.CERTIFIED
    certificate_number = factory.Sequence(lambda n: f"LC{n:06d}")


def _role_hook(*default_roles):
    """A post-generation hook putting the user in role groups: ``roles=[...]``
    when given (``roles=[]`` for none), else ``default_roles``."""

    def add_roles(user, create, extracted, **kwargs):
        names = default_roles if extracted is None else extracted
        if create and names:
            # The groups come from migration 0002; a missing one fails loudly.
            user.groups.add(*[Group.objects.get(name=name) for name in names])
            # roles.role_names caches on the instance: start from the truth.
            user.__dict__.pop("_casework_roles", None)

    return add_roles


class UserFactory(DjangoModelFactory):
    """A portal user; ``roles=[...]`` puts them in the casework role groups."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"名{n}")
    last_name = "王"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")
    is_active = True
    is_staff = False

    roles = factory.PostGeneration(_role_hook())


class HeadFactory(UserFactory):
    """监督机构负责人."""

    username = factory.Sequence(lambda n: f"head{n}")
    is_staff = True
    roles = factory.PostGeneration(_role_hook(HEAD))


class SupervisionOfficerFactory(UserFactory):
    """监督机构工作人员: an investigator."""

    username = factory.Sequence(lambda n: f"officer{n}")
    is_staff = True
    roles = factory.PostGeneration(_role_hook(OFFICER))


class ReviewerFactory(UserFactory):
    """复核人员 (Art. 19)."""

    username = factory.Sequence(lambda n: f"reviewer{n}")
    is_staff = True
    roles = factory.PostGeneration(_role_hook(REVIEWER))


class LiaisonFactory(UserFactory):
    """执法机关联络员 (Art. 3), linked to ``agency`` (a new one by default)."""

    username = factory.Sequence(lambda n: f"liaison{n}")
    is_staff = True
    roles = factory.PostGeneration(_role_hook(LIAISON))

    @factory.post_generation
    def agency(self, create, extracted, **kwargs):
        if create:
            LiaisonAssignment.objects.create(
                user=self, agency=extracted or AgencyFactory()
            )


class SupervisionCaseFactory(DjangoModelFactory):
    """Files a case through services.file_case, as an officer would.

    ``officers`` is a list of ``(Officer, ErrorType)`` pairs; ``filed_by`` the
    filing user (a new supervision officer by default).
    """

    class Meta:
        model = SupervisionCase

    title = factory.Sequence(lambda n: f"某公司行政处罚案执法监督{n}")
    agency = factory.SubFactory(AgencyFactory)
    field = factory.SubFactory(EnforcementFieldFactory)
    matter_type = MatterType.PENALTY
    source = CaseSource.REPORT
    summary = "举报人反映执法人员在现场检查中未出示执法证件，处罚决定依据不明。"
    filed_on = FILED_ON
    officers = factory.LazyAttribute(
        lambda c: [(OfficerFactory(agency=c.agency), ErrorType.EVIDENCE)]
    )
    filed_by = factory.SubFactory(SupervisionOfficerFactory)

    @classmethod
    def _create(cls, model_class, *args, filed_by, **kwargs):
        return services.file_case(user=filed_by, **kwargs)


class ReviewFactory(DjangoModelFactory):
    """A review request stored directly: for queryset tests only (the
    service path is services.request_review)."""

    class Meta:
        model = Review

    case = factory.SubFactory(SupervisionCaseFactory)
    applicant = "张某"
    decision_received_on = datetime.date(2025, 10, 10)
    requested_on = datetime.date(2025, 10, 13)
    grounds = "认为认定事实不清。"
    decision_due = factory.LazyAttribute(
        lambda r: periods.review_decision_deadline(r.requested_on).end
    )


# --- Builders through the service layer ----------------------------------------


def reload(case: SupervisionCase) -> SupervisionCase:
    """A fresh copy of the case from the database."""
    return SupervisionCase.objects.get(pk=case.pk)


def determine_exempt(link, user, *, basis=("10(2)",), **kwargs):
    return services.determine(
        link,
        user=user,
        outcome=Outcome.EXEMPT,
        basis=list(basis),
        facts="政策界限不明确，执法人员已尽审慎义务。",
        decided_on=kwargs.pop("decided_on", DETERMINED_ON),
        **{**DISTINCTIONS, **kwargs},
    )


def determine_no_tolerance(link, user, *, basis=("12(1)",), **kwargs):
    kwargs.setdefault("liability_referred_to", "历城区行政执法过错责任追究工作组")
    return services.determine(
        link,
        user=user,
        outcome=Outcome.NO_TOLERANCE,
        basis=list(basis),
        facts="执法人员因主观原因明显违反法定程序。",
        decided_on=kwargs.pop("decided_on", DETERMINED_ON),
        **{**DISTINCTIONS, **kwargs},
    )
