"""The case page offers an action only to whom it is open (one predicate for
the link and the view), the next step of the procedure first, stage moves
confirmed with what they do, steps back never shown as progress; the
dashboard's 我的案件 lists the user's own cases only; the determination form
brings forward the articles that can support the chosen outcome."""

import pytest
from django.urls import reverse

from casework import dashboard, services
from casework.actions import ACTIONS, actions_for, next_step, stage_move, stage_moves
from casework.forms import DeterminationForm
from casework.rules.articles import load_policy_items
from casework.rules.stages import Stage

pytestmark = pytest.mark.django_db


def test_serving_the_decision_is_offered_to_the_head_only(
    client, determined_case, investigator, head
):
    # Office rule decision_signed_by_head: the investigator is not shown the
    # move the service would refuse, and the view refuses it the same way.
    assert [m.target for m in stage_moves(investigator, determined_case)] == [
        Stage.VERIFYING
    ]
    assert [m.target for m in stage_moves(head, determined_case)] == [
        Stage.NOTIFIED,
        Stage.VERIFYING,
    ]
    client.force_login(investigator)
    url = reverse("casework_case:action", args=[determined_case.pk, "transition"])
    response = client.post(url, {"target": Stage.NOTIFIED, "confirmed": "1"})
    assert response.status_code == 400
    assert Stage.NOTIFIED.value not in [
        value for value, _ in response.context["form"].fields["target"].choices
    ]
    assert services.may_move(head, Stage.NOTIFIED)
    assert not services.may_move(investigator, Stage.NOTIFIED)


def test_the_head_who_signed_is_not_offered_the_review_decision(
    client, notified_case, head, reviewer, investigator
):
    services.request_review(
        notified_case,
        user=investigator,
        applicant=notified_case.agency.name,
        decision_received_on=notified_case.notified_on,
        requested_on=notified_case.notified_on,
        grounds="不服认定。",
    )
    spec = ACTIONS["review_decide"]
    # The head signed the decision (moved it to 反馈): office rule
    # review_decider_independent keeps them out; the reviewer may decide.
    assert not spec.open_to(head, notified_case)
    assert spec not in actions_for(head, notified_case)
    assert spec in actions_for(reviewer, notified_case)
    client.force_login(head)
    url = reverse("casework_case:action", args=[notified_case.pk, "review_decide"])
    assert client.get(url).status_code == 302  # PermissionDenied, to the dashboard
    html = client.get(reverse("casework_case:detail", args=[notified_case.pk]))
    assert url not in html.content.decode()


def test_the_next_step_gets_the_primary_button_and_moves_are_confirmed(
    client, verifying_case, investigator
):
    client.force_login(investigator)
    page = client.get(reverse("casework_case:detail", args=[verifying_case.pk]))
    primary = page.context["primary"]
    # Statements not yet heard (Art. 16): that is the next step, not a move
    # that the guard would refuse.
    assert primary["name"] == "statement"
    html = page.content.decode()
    assert 'class="button casework-next__button"' in html
    assert "尚需：" in html and "。；" not in html

    url = reverse("casework_case:action", args=[verifying_case.pk, "transition"])
    refused = client.post(url, {"target": Stage.DETERMINED})
    # The guard refuses at once: nothing to confirm.
    assert refused.status_code == 400
    assert "确认后将会" not in refused.content.decode()
    assert services.case_facts(verifying_case).stage == Stage.VERIFYING


def test_a_step_back_is_named_and_confirmed_as_one(client, determined_case, head):
    back = stage_move(Stage.DETERMINED, Stage.VERIFYING)
    assert back.backward and back.label.startswith("退回")
    assert "不是办理进度的推进" in "".join(back.effects)
    forward = stage_move(Stage.DETERMINED, Stage.NOTIFIED)
    assert not forward.backward
    assert "7日内" in "".join(forward.effects)

    client.force_login(head)
    url = reverse("casework_case:action", args=[determined_case.pk, "transition"])
    html = client.post(url, {"target": Stage.VERIFYING}).content.decode()
    assert "确认后将会" in html and "退回“核实”" in html
    assert services.case_facts(determined_case).stage == Stage.DETERMINED
    response = client.post(
        url, {"target": Stage.VERIFYING, "confirmed": "1"}, follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["案件已由“认定”退回“核实”补充调查。"]
    page = response.content.decode()
    assert "已完成" not in page
    assert "casework-ok" not in page


def test_next_step_is_none_when_the_user_can_take_no_step(
    verifying_case, liaison, investigator
):
    facts = services.case_facts(verifying_case)
    offered = actions_for(liaison, verifying_case)
    assert next_step(verifying_case, None, offered, []) is None
    offered = actions_for(investigator, verifying_case)
    assert next_step(verifying_case, facts, offered, []) == ("statement", None)


def test_my_cases_lists_only_the_users_own(
    make_case, head, investigator, investigator2
):
    mine = make_case(user=investigator)  # filed by investigator
    assigned = make_case(user=head, title="另一案件执法监督")
    services.assign_investigator(assigned, investigator2, user=head)
    others = make_case(user=head, title="第三个案件执法监督")
    assert [c.pk for c in dashboard.my_cases(investigator)] == [mine.pk]
    assert [c.pk for c in dashboard.my_cases(investigator2)] == [assigned.pk]
    # The head sees every case, but only their own are "mine".
    assert {c.pk for c in dashboard.my_cases(head)} == {assigned.pk, others.pk}


def test_the_dashboard_panel_shows_my_cases_only(client, make_case, head, investigator):
    mine = make_case(user=investigator)
    other = make_case(user=head, title="负责人立案的案件执法监督")
    client.force_login(investigator)
    html = client.get("/admin/").content.decode()
    panel = html[html.index("我的案件") : html.index("逾期案件")]
    assert mine.number in panel
    assert other.number not in panel


def test_the_determination_form_brings_forward_supporting_articles(
    determined_case, investigator
):
    form = DeterminationForm(
        {"outcome": "no_tolerance"}, case=determined_case, user=investigator
    )
    groups = form.basis_groups()
    assert [g["article"] for g in groups] == [12, 10, 9, 11]
    assert groups[0]["required"] and groups[1]["supports"]
    assert not groups[2]["supports"]
    # Every item of Art. 9-12 (9, 10, 3 and 7 in the policy text), cited
    # exactly.
    items = [item for group in groups for item in group["items"]]
    assert len(items) == sum(len(v) for v in load_policy_items().values()) == 29
    assert items[0]["label"] == "第十二条第（一）项"
    assert {item["label"][:4] for item in items} <= {"第九条第", "第十条第"} | {
        "第十一条",
        "第十二条",
    }
    unchosen = DeterminationForm(case=determined_case, user=investigator)
    assert [g["article"] for g in unchosen.basis_groups()] == [9, 10, 11, 12]


def test_an_approval_is_not_offered_for_ones_own_request(
    verifying_case, head, other_head, investigator
):
    # Office rule no_self_approval: the head who asked for the extension is
    # not offered its approval (decide_extension would refuse them); another
    # head is.
    services.request_extension(
        verifying_case, user=head, days=10, reason="案情复杂，需补充调取材料。"
    )
    spec = ACTIONS["extension_decide"]
    assert not spec.open_to(head, verifying_case)
    assert spec.open_to(other_head, verifying_case)
    assert not spec.open_to(investigator, verifying_case)  # not a head
