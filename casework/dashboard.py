"""The queries of the casework panels on the admin dashboard.

"我的案件" lists the user's own open cases: those they investigate (an
active assignment, Art. 16) or filed and handle. Nobody else's cases appear
there, whatever the user may see; the overdue panel lists every visible
overdue case. Both start from SupervisionCase.objects.visible_to(user), so
a recused investigator (Art. 16) never sees a case here either."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from casework.models import SupervisionCase
from casework.rules.stages import Stage

PANEL_SIZE = 10


def my_cases(user) -> list[SupervisionCase]:
    """The user's own open cases, the ones due first at the top."""
    own = Q(assignments__investigator=user, assignments__active=True) | Q(
        created_by=user
    )
    return list(
        SupervisionCase.objects.visible_to(user)
        .exclude(stage=Stage.ARCHIVED)
        .filter(pk__in=SupervisionCase.objects.filter(own).values("pk"))
        .select_related("agency")
        .order_by("decision_due", "pk")[:PANEL_SIZE]
    )


def overdue_cases(user) -> list[SupervisionCase]:
    return list(
        SupervisionCase.objects.visible_to(user)
        .overdue(timezone.localdate())
        .select_related("agency")[:PANEL_SIZE]
    )
