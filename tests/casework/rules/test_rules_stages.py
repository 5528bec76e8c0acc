"""The six stages of Art. 14 and the guards of Art. 15-20."""

import dataclasses

import pytest

from casework.rules.stages import (
    STAGE_LABELS,
    TRANSITIONS,
    CaseFacts,
    Stage,
    available_stages,
    check_transition,
    next_stages,
)

# A case ready for every guarded step; each test breaks one fact.
READY = CaseFacts(
    stage=Stage.VERIFYING,
    active_investigator_count=2,
    officers_total=2,
    officers_with_statement=2,
    officers_determined=2,
    notifications_done=True,
)

COMPLETE_FIRST = "（依本机构工作规则：已启动的鉴定、听证、移交办结后方可认定）。"


def facts(stage, **changes):
    return dataclasses.replace(READY, stage=stage, **changes)


def test_six_stages_in_order():
    assert [s.label for s in Stage] == ["立案", "核实", "认定", "反馈", "纠错", "归档"]
    assert set(STAGE_LABELS) == set(Stage)
    assert Stage.FILED == "filed"
    assert ("archived", "归档") in Stage.choices()


def test_next_stages():
    assert next_stages("filed") == [Stage.VERIFYING]
    assert next_stages(Stage.VERIFYING) == [Stage.DETERMINED]
    assert next_stages(Stage.DETERMINED) == [Stage.NOTIFIED, Stage.VERIFYING]
    assert next_stages(Stage.NOTIFIED) == [
        Stage.CORRECTING,
        Stage.ARCHIVED,
        Stage.DETERMINED,
    ]
    assert next_stages(Stage.CORRECTING) == [Stage.ARCHIVED, Stage.DETERMINED]
    assert next_stages(Stage.ARCHIVED) == []
    with pytest.raises(ValueError):
        next_stages("closed")


def test_forward_path_without_correction():
    path = [Stage.FILED, Stage.VERIFYING, Stage.DETERMINED, Stage.NOTIFIED]
    for source, target in zip(path, [*path[1:], Stage.ARCHIVED], strict=True):
        assert check_transition(facts(source), target) == [], (source, target)


def test_path_with_correction():
    notified = facts(Stage.NOTIFIED, correction_required=True)
    assert check_transition(notified, Stage.CORRECTING) == []
    correcting = facts(Stage.CORRECTING, correction_required=True)
    assert check_transition(correcting, Stage.ARCHIVED) == []


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (Stage.FILED, Stage.DETERMINED),
        (Stage.FILED, Stage.ARCHIVED),
        (Stage.VERIFYING, Stage.NOTIFIED),
        (Stage.VERIFYING, Stage.FILED),
        (Stage.DETERMINED, Stage.ARCHIVED),
        (Stage.DETERMINED, Stage.CORRECTING),
        (Stage.CORRECTING, Stage.NOTIFIED),
        (Stage.NOTIFIED, Stage.VERIFYING),
    ],
)
def test_illegal_jumps(source, target):
    errors = check_transition(facts(source), target)
    assert len(errors) == 1
    assert errors[0].startswith(f"不能从“{source.label}”阶段直接转入“{target.label}”")


def test_illegal_jump_names_the_permitted_stages():
    assert check_transition(facts(Stage.FILED), "determined") == [
        "不能从“立案”阶段直接转入“认定”阶段（可转入“核实”）"
    ]


def test_archived_is_final():
    for target in Stage:
        if target is not Stage.ARCHIVED:
            assert check_transition(facts(Stage.ARCHIVED), target) == [
                "案件已归档，不能再变更阶段"
            ]


def test_same_stage_and_unknown_stage():
    assert check_transition(facts(Stage.FILED), "filed") == ["案件已处于“立案”阶段"]
    assert check_transition(facts(Stage.FILED), "closed") == ["未知的案件阶段：closed"]


@pytest.mark.parametrize("count", [0, 1])
def test_leaving_verification_needs_two_investigators(count):
    errors = check_transition(
        facts(Stage.VERIFYING, active_investigator_count=count), Stage.DETERMINED
    )
    assert errors == [
        f"调查人员不得少于两人，目前未回避的调查人员为{count}人（第十六条）。"
    ]


def test_leaving_verification_needs_every_statement():
    errors = check_transition(
        facts(Stage.VERIFYING, officers_total=3, officers_with_statement=1),
        Stage.DETERMINED,
    )
    assert errors == ["应当充分听取被调查人的陈述申辩，尚有2人未记录（第十六条）。"]


def test_leaving_verification_needs_someone_to_determine():
    errors = check_transition(
        facts(Stage.VERIFYING, officers_total=0, officers_with_statement=0),
        Stage.DETERMINED,
    )
    assert errors == ["尚未登记被调查人，无从认定"]


@pytest.mark.parametrize(
    ("flag", "message"),
    [
        (
            "transfer_pending",
            "案件已移交行政执法机关处理，处理结果尚未报备" + COMPLETE_FIRST,
        ),
        ("pending_appraisal", "委托鉴定（评估、检测）尚未完成" + COMPLETE_FIRST),
        ("hearing_pending", "已决定召开的听证会尚未举行" + COMPLETE_FIRST),
    ],
)
def test_leaving_verification_blocked_by(flag, message):
    # Art. 14-16 provide these measures but do not say they must end before
    # the determination: the refusal is the office's rule, not an article.
    errors = check_transition(facts(Stage.VERIFYING, **{flag: True}), "determined")
    assert errors == [message]


def test_leaving_verification_reports_every_problem():
    bad = CaseFacts(stage="verifying", transfer_pending=True)
    assert len(check_transition(bad, Stage.DETERMINED)) == 3


def test_notifying_needs_every_officer_determined():
    errors = check_transition(
        facts(Stage.DETERMINED, officers_determined=1), Stage.NOTIFIED
    )
    assert errors == ["尚有1名被调查人未作出认定"]
    errors = check_transition(facts(Stage.DETERMINED, officers_total=0), Stage.NOTIFIED)
    assert errors == ["尚未登记被调查人，无从认定"]


def test_back_to_verification_before_notification():
    assert check_transition(facts(Stage.DETERMINED), Stage.VERIFYING) == []


def test_leaving_notified_needs_notifications_done():
    not_served = facts(Stage.NOTIFIED, notifications_done=False)
    message = "决定尚未告知全部相关单位及当事人（第十七条）。"
    assert check_transition(not_served, Stage.ARCHIVED) == [message]
    assert check_transition(
        dataclasses.replace(not_served, correction_required=True), Stage.CORRECTING
    ) == [message]


def test_correction_only_when_required():
    assert check_transition(facts(Stage.NOTIFIED), Stage.CORRECTING) == [
        "认定决定未提出纠错要求，无需进入纠错阶段，可直接归档"
    ]
    assert check_transition(
        facts(Stage.NOTIFIED, correction_required=True), Stage.ARCHIVED
    ) == ["认定决定提出了纠错要求，应当先进入纠错阶段（第二十条）。"]


def test_archiving_after_correction_needs_all_corrections_complete():
    errors = check_transition(
        facts(Stage.CORRECTING, correction_required=True, corrections_open=2),
        Stage.ARCHIVED,
    )
    assert errors == ["尚有2项纠错整改未经核实完成（第二十条）。"]


@pytest.mark.parametrize("source", [Stage.NOTIFIED, Stage.CORRECTING])
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"review_pending": True},
            "复核申请尚未作出复核决定，复核决定应当作出（第十九条）。",
        ),
        (
            {"review_window_open": True},
            "收到认定决定之日起15日的复核申请期限尚未届满，届满后方可归档"
            "（依本机构工作规则：复核申请期限届满后方可归档）。",
        ),
        (
            {"act_finding_missing": True},
            "尚未认定被监督的行政执法行为是否违法或不当"
            "（依本机构工作规则：归档前须对被监督的行政执法行为作出合法性认定）。",
        ),
        (
            {"opinion_letter_missing": True},
            "被监督的行政执法行为已认定为违法或不当，"
            "应当制发《行政执法监督意见书》，尚未制发（第十八条）。",
        ),
        (
            {"archive_missing": ["认定决定书", "送达回证"]},
            "归档材料不齐全，缺少：认定决定书、送达回证",
        ),
    ],
)
def test_archiving_blocked(source, changes, message):
    errors = check_transition(facts(source, **changes), Stage.ARCHIVED)
    assert errors == [message]


@pytest.mark.parametrize("source", [Stage.NOTIFIED, Stage.CORRECTING])
def test_reopening_after_a_changed_review(source):
    assert check_transition(facts(source), Stage.DETERMINED) == [
        "只有复核决定改变认定结果时，才能重新认定"
        "（依本机构工作规则：已作出的监督决定只经复核改变）。"
    ]
    changed = facts(source, review_changed_result=True)
    assert check_transition(changed, Stage.DETERMINED) == []


def test_available_stages():
    assert available_stages(facts(Stage.FILED)) == [Stage.VERIFYING]
    assert available_stages(facts(Stage.NOTIFIED)) == [Stage.ARCHIVED]
    notified = facts(Stage.NOTIFIED, correction_required=True, review_pending=True)
    assert available_stages(notified) == [Stage.CORRECTING]
    assert available_stages(facts(Stage.ARCHIVED)) == []


def test_every_transition_has_a_guard():
    for source, targets in TRANSITIONS.items():
        for target in targets:
            assert isinstance(check_transition(facts(source), target), list)


def test_case_facts_validation():
    assert CaseFacts(stage="filed").stage is Stage.FILED
    assert CaseFacts(stage="filed", archive_missing=["a"]).archive_missing == ("a",)
    with pytest.raises(ValueError):
        CaseFacts(stage="closed")
    with pytest.raises(ValueError, match="corrections_open must be >= 0"):
        CaseFacts(stage="filed", corrections_open=-1)
    with pytest.raises(TypeError, match="officers_total must be an int"):
        CaseFacts(stage="filed", officers_total="2")
    with pytest.raises(TypeError, match="archive_missing"):
        CaseFacts(stage="filed", archive_missing="送达回证")
    with pytest.raises(dataclasses.FrozenInstanceError):
        READY.stage = Stage.ARCHIVED
