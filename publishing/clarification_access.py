"""Who may draft a clarification notice from a case (Art. 22): the link in
the report inbox asks the very checks the drafting view makes
(publishing.views.clarification_from_case: the case is visible to the user,
and the user may add a notice under an index), so nobody is shown a button
that answers 没有权限."""

from __future__ import annotations

from casework.models import SupervisionCase


def may_draft_clarification(user, case_id) -> bool:
    """Whether ``user`` may draft a notice from case ``case_id``: the
    editors who may add notices and see the case; not the head or the
    officers, who hand the decision to the editorial desk."""
    from publishing.views import notice_index_for

    if case_id is None or notice_index_for(user) is None:
        return False
    return SupervisionCase.objects.visible_to(user).filter(pk=case_id).exists()
