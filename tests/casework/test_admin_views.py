"""The casework admin: every role against every case endpoint (list, search,
export, detail, action, attachment and document download, with direct IDs),
forms that keep input on errors, and fixed query counts."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from casework import services
from casework.documents import generate_document
from casework.models import (
    Attachment,
    CaseDocument,
    Recusal,
    StageChange,
    SupervisionCase,
)
from casework.rules.stages import Stage
from tests.testkit.factories import SupervisionOfficerFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/casework/cases/"


@pytest.fixture
def world(
    notified_case,
    case_factory_b,
    head,
    investigator,
    investigator2,
    liaison,
    other_liaison,
    reviewer,
    clock,
):
    """Case A (agency of ``liaison``, notified, with files) and case B (with a
    review request), plus a recused officer on A."""
    case_a = notified_case
    internal = services.add_attachment(
        case_a,
        user=investigator,
        title="询问笔录",
        file=ContentFile(b"%PDF-1.4 internal", name="inquiry.pdf"),
    )
    shared = services.add_attachment(
        case_a,
        user=investigator,
        title="整改通知",
        file=ContentFile(b"%PDF-1.4 shared", name="notice.pdf"),
        visible_to_agency=True,
    )
    document = generate_document(
        case_a, CaseDocument.Kind.DECISION_NOTICE, user=investigator
    )
    recused = SupervisionOfficerFactory(username="recused", last_name="吴")
    recusal = services.request_recusal(
        case_a,
        recused,
        user=recused,
        kind=Recusal.Kind.DECLARED,
        reason="与被调查人系近亲属",
    )
    services.decide_recusal(recusal, user=head, approve=True)
    case_b = case_factory_b()
    clock.set(case_b.decided_on + datetime.timedelta(days=2))
    services.request_review(
        case_b,
        user=investigator,
        applicant="李四",
        decision_received_on=case_b.decided_on,
        requested_on=case_b.decided_on + datetime.timedelta(days=2),
        grounds="认为认定过重",
    )
    return {
        "A": case_a,
        "B": case_b,
        "internal": internal,
        "shared": shared,
        "document": document,
        "users": {
            "head": head,
            "officer": investigator2,
            "recused": recused,
            "liaison": liaison,
            "other_liaison": other_liaison,
            "reviewer": reviewer,
            "no_role": UserFactory(username="norole", is_staff=True, roles=[]),
        },
    }


@pytest.fixture
def case_factory_b(make_case, clock, investigator, investigator2, head, other_agency):
    """A second case, at another agency, brought to 反馈 through services."""
    from casework.models import ErrorType, Notification
    from tests.testkit.factories import DETERMINED_ON, OfficerFactory, determine_exempt

    def make():
        person = OfficerFactory(name="王五", agency=other_agency)
        case = make_case(
            agency=other_agency,
            officers=[(person, ErrorType.PROCEDURE)],
            title="某街道拆除违建执法监督",
        )
        services.assign_investigator(case, investigator, user=head)
        services.assign_investigator(case, investigator2, user=head)
        services.transition(case, Stage.VERIFYING, user=investigator)
        services.record_statement(
            case.case_officers.get(),
            user=investigator,
            heard_on=case.filed_on,
            content="已按程序履职",
        )
        case = services.transition(case, Stage.DETERMINED, user=investigator)
        # Determined on DETERMINED_ON, decided and served today (not earlier).
        clock.set(max(clock(), DETERMINED_ON))
        determine_exempt(case.case_officers.get(), investigator)
        case = services.transition(case, Stage.NOTIFIED, user=head)
        services.record_notification(
            case,
            user=investigator,
            recipient=other_agency.name,
            is_party=False,
            method=Notification.Method.POST,
            served_on=case.decided_on,
        )
        return SupervisionCase.objects.get(pk=case.pk)

    return make


# role -> (sees A, sees B, full view of A)
MATRIX = {
    "head": (True, True, True),
    "officer": (True, True, True),
    "recused": (False, True, False),
    "liaison": (True, False, False),
    "other_liaison": (False, True, False),
    "reviewer": (False, True, True),
    "no_role": (False, False, False),
}


def urls(world, key):
    case = world[key]
    base = reverse("casework_case:detail", args=[case.pk])
    return {
        "detail": base,
        "action": base + "do/transition/",
        "attachment_internal": base + f"attachments/{world['internal'].pk}/",
        "attachment_shared": base + f"attachments/{world['shared'].pk}/",
        "document": base + f"documents/{world['document'].pk}/",
    }


@pytest.mark.parametrize("role", list(MATRIX))
def test_role_matrix_over_every_case_endpoint(client, world, role):
    sees_a, sees_b, full = MATRIX[role]
    user = world["users"][role]
    client.force_login(user)
    listing = client.get(LIST)
    if role == "no_role":
        # No casework role: no admin access at all.
        assert listing.status_code in (302, 403)
        assert world["A"].number not in listing.content.decode()
        return
    assert listing.status_code == 200
    html = listing.content.decode()
    assert (world["A"].number in html) is sees_a
    assert (world["B"].number in html) is sees_b

    search = client.get(LIST, {"q": world["A"].title}).content.decode()
    assert (world["A"].number in search) is sees_a
    export = client.get(LIST, {"export": "csv"})
    assert export.status_code == 200
    exported = b"".join(export.streaming_content).decode("utf-8-sig")
    assert (world["A"].number in exported) is sees_a
    assert (world["B"].number in exported) is sees_b

    a = urls(world, "A")
    detail = client.get(a["detail"])
    assert detail.status_code == (200 if sees_a else 404)
    if sees_a:
        body = detail.content.decode()
        # Liaisons see the parts meant for the agency, not officers' names,
        # investigators, statements or determinations.
        assert ("张三" in body) is full
        assert ("孙" in body and "陈述申辩" in body) is full
    shared = client.get(a["attachment_shared"])
    assert shared.status_code == (200 if sees_a else 404)
    internal = client.get(a["attachment_internal"])
    assert internal.status_code == (200 if sees_a and full else 404)
    document = client.get(a["document"])
    assert document.status_code == (200 if sees_a else 404)
    if sees_a:
        assert document["Content-Disposition"].startswith("attachment")
    action = client.get(a["action"])
    if not sees_a:
        assert action.status_code == 404
    elif role in ("head", "officer"):
        assert action.status_code == 200
    else:
        # Wagtail turns PermissionDenied into a redirect to the dashboard
        # with an error message.
        assert action.status_code == 302
        assert action["Location"] == "/admin/"


def test_anonymous_is_sent_to_login(client, world):
    for url in [LIST, *urls(world, "A").values()]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_a_liaison_cannot_take_staff_actions_by_crafted_post(client, world):
    case = world["A"]
    client.force_login(world["users"]["liaison"])
    before = StageChange.objects.count()
    response = client.post(
        reverse("casework_case:action", args=[case.pk, "transition"]),
        {"target": Stage.CORRECTING, "note": "x"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert StageChange.objects.count() == before
    assert SupervisionCase.objects.get(pk=case.pk).stage == Stage.NOTIFIED


def test_filing_form_keeps_input_on_error_and_files_when_valid(
    client, head, agency, field, officer_a
):
    client.force_login(head)
    url = reverse("casework_case:add")
    data = {
        "title": "某药店行政检查执法监督",
        "agency": agency.pk,
        "field": field.pk,
        "matter_type": "inspection",
        "source": "inspection",
        "summary": "",
        "filed_on": "2025-09-01",
        "officers": [officer_a.pk],
        "error_type": "procedure",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "某药店行政检查执法监督" in html  # nothing the user typed is lost
    assert SupervisionCase.objects.count() == 0
    data["summary"] = "检查中未出示执法证件。"
    response = client.post(url, data)
    assert response.status_code == 302
    case = SupervisionCase.objects.get()
    assert case.number == "历城执监〔2025〕第1号"
    assert response["Location"] == reverse("casework_case:detail", args=[case.pk])


def test_a_refused_transition_shows_the_guard_and_saves_nothing(client, case, head):
    client.force_login(head)
    url = reverse("casework_case:action", args=[case.pk, "transition"])
    response = client.post(url, {"target": Stage.VERIFYING, "note": "开始核实"})
    # Filed -> verifying has no guard, but a stage change is confirmed with
    # what it does before it is done.
    assert response.status_code == 200
    assert "确认后将会" in response.content.decode()
    assert SupervisionCase.objects.get(pk=case.pk).stage == Stage.FILED
    response = client.post(
        url, {"target": Stage.VERIFYING, "note": "开始核实", "confirmed": "1"}
    )
    assert response.status_code == 302
    # Verifying -> determined needs two investigators and the statements:
    # refused at once, without a confirmation.
    response = client.post(url, {"target": Stage.DETERMINED, "note": "完成"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "未能完成" in html
    assert "两" in html or "2" in html
    assert SupervisionCase.objects.get(pk=case.pk).stage == Stage.VERIFYING


def test_case_page_shows_deadlines_timeline_and_next_actions(client, world):
    client.force_login(world["users"]["head"])
    html = client.get(urls(world, "A")["detail"]).content.decode()
    for expected in [
        "调查终结期限",
        "告知期限",
        "办理记录",
        "可办理事项",
        "记录送达",
        "第十条第（二）项",
        "不作为行政执法错误认定",
        "过错责任追究工作组",
    ]:
        assert expected in html, expected


def test_case_list_query_count_is_fixed(
    client, world, make_case, head, django_assert_max_num_queries
):
    client.force_login(head)
    client.get(LIST)
    with django_assert_max_num_queries(40) as small:
        client.get(LIST)
    for _ in range(15):
        make_case()
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(LIST).status_code == 200


def test_case_page_query_count_is_fixed(
    client, world, investigator, django_assert_max_num_queries
):
    client.force_login(world["users"]["head"])
    url = urls(world, "A")["detail"]
    client.get(url)
    with django_assert_max_num_queries(80) as before:
        client.get(url)
    case = world["A"]
    for n in range(5):
        services.add_attachment(
            case,
            user=investigator,
            title=f"材料{n}",
            file=ContentFile(b"%PDF-1.4", name=f"m{n}.pdf"),
        )
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert client.get(url).status_code == 200


def test_disguised_upload_is_refused(client, verifying_case, investigator):
    client.force_login(investigator)
    url = reverse("casework_case:action", args=[verifying_case.pk, "attachment"])
    fake = ContentFile(b"<html><script>alert(1)</script></html>", name="photo.png")
    response = client.post(url, {"title": "现场照片", "file": fake})
    assert response.status_code == 400
    assert "“photo.png”的内容与文件扩展名不符" in response.content.decode()
    assert Attachment.objects.count() == 0


def test_liaison_gets_documents_only_once_the_decision_is_served(
    client, determined_case, investigator, liaison, clock, head
):
    case = SupervisionCase.objects.get(pk=determined_case.pk)
    officers = list(case.case_officers.all())
    from tests.testkit.factories import determine_exempt

    for link in officers:
        determine_exempt(link, investigator)
    draft = generate_document(
        case, CaseDocument.Kind.DECISION_NOTICE, user=investigator
    )
    client.force_login(liaison)
    detail = reverse("casework_case:detail", args=[case.pk])
    assert draft.number not in client.get(detail).content.decode()
    download = detail + f"documents/{draft.pk}/"
    assert client.get(download).status_code == 404
    services.transition(case, Stage.NOTIFIED, user=head)
    assert client.get(download).status_code == 200


def test_liaison_search_does_not_probe_the_hidden_summary(client, case, liaison):
    client.force_login(liaison)
    listing = "/admin/casework/cases/"
    secret_word = case.summary[2:6]
    assert case.number not in client.get(listing, {"q": secret_word}).content.decode()
    assert case.number in client.get(listing, {"q": case.title[:4]}).content.decode()
    # ...and the investigator filter is not offered to the agency.
    assert 'name="investigator"' not in client.get(listing).content.decode()


def test_overlong_input_is_a_form_error_not_a_server_error(
    client, verifying_case, investigator, clock
):
    client.force_login(investigator)
    clock.set(datetime.date(2025, 9, 3))
    url = reverse("casework_case:action", args=[verifying_case.pk, "activity"])
    response = client.post(
        url,
        {
            "kind": "appraisal",
            "occurred_on": "2025-09-03",
            "summary": "委托检测",
            "appraisal_body": "检" * 150,
            "appraisal_started_on": "2025-09-03",
        },
    )
    assert response.status_code == 400
    assert "检" * 150 in response.content.decode()  # what was typed is kept
    assert verifying_case.activities.count() == 0


def test_timeline_shows_stage_changes_with_their_reason(client, verifying_case, head):
    client.force_login(head)
    html = client.get(
        reverse("casework_case:detail", args=[verifying_case.pk])
    ).content.decode()
    assert "立案 → 核实" in html
