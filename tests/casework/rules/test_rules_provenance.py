"""Where each rule comes from, and the readings the engine takes (issue #13):
pure, no database."""

import datetime
import re

import pytest

from casework.rules.articles import (
    Effect,
    Outcome,
    effect,
    is_error,
    is_exemption,
    policy_text,
    validate_basis,
)
from casework.rules.provenance import (
    INTERPRETATION_NOTE,
    OFFICE_RULES,
    READINGS,
    Article,
    OfficeRule,
    Reading,
    article_exists,
    cite,
    sourced,
)
from casework.rules.repeat import EarlierDetermination, finding_problems
from casework.rules.stages import CaseFacts, Stage, check_transition

D = datetime.date


def test_office_rule_messages_say_so_and_cite_no_article():
    for key in OFFICE_RULES:
        message = sourced(OfficeRule(key), "不予办理。")
        assert message.startswith("不予办理（依本机构工作规则：")
        assert not re.search("第[一二三四五六七八九十]+条", message), message


def test_art23_readings_name_their_article_and_give_way_to_the_bureau():
    assert "第二十三条" in INTERPRETATION_NOTE and "区司法局" in INTERPRETATION_NOTE
    for key, spec in READINGS.items():
        message = sourced(Reading(key), "不予办理")
        assert "本机构理解" in message and "以区司法局解释为准" in message
        for article in spec.articles:
            assert article.label in message


def test_every_registered_source_exists_in_the_policy_text():
    text = policy_text()
    for spec in OFFICE_RULES.values():
        assert article_exists(spec.leaves_room, text), spec.key
        assert spec.reason and spec.title
        assert spec.kind in {"switch", "number", "fixed"}
    for spec in READINGS.values():
        for article in spec.articles:
            assert article_exists(article, text), spec.key
    assert article_exists(Article(12, 5), text)
    assert not article_exists(Article(12, 8), text)
    assert not article_exists(Article(25), text)


def test_article_citation_format():
    assert cite(Article(16)) == "第十六条"
    assert cite(Article(12, 5)) == "第十二条第（五）项"
    assert sourced(Article(16), "调查人员不得少于两人。") == (
        "调查人员不得少于两人（第十六条）。"
    )
    with pytest.raises(KeyError):
        cite(OfficeRule("no_such_rule"))


def test_art18_one_reading_of_exemption():
    """容错免责 is the exemption only; 从轻/减轻 (Art. 10, 11) are 不予容错免责
    and go to the error-liability procedure with the mitigation recommended."""
    assert [o for o in Outcome if is_exemption(o)] == [Outcome.EXEMPT]
    mitigated = {
        Outcome.LIGHTER,
        Outcome.REDUCED,
        Outcome.MITIGATION_LIGHTER,
        Outcome.MITIGATION_REDUCED,
    }
    assert {o for o in Outcome if effect(o) == Effect.LIABILITY_MITIGATED} == mitigated
    assert effect(Outcome.NO_TOLERANCE) == Effect.LIABILITY
    assert effect(Outcome.DUTY_FULFILLED) == Effect.NO_LIABILITY
    assert {o for o in Outcome if is_error(o)} == mitigated | {Outcome.NO_TOLERANCE}


def test_art12_item_decides_no_tolerance_may_cite_art10_facts():
    """Art. 10 facts beside an Art. 12 item: the Art. 12 item decides, and
    the determination may state both (reading art12_item_decides)."""
    assert validate_basis(Outcome.NO_TOLERANCE, ["12(1)", "10(2)"]) == []
    assert validate_basis(Outcome.MITIGATION_LIGHTER, ["11(2)", "12(5)", "10(3)"]) == []
    # The Art. 12 item still decides: Art. 10 alone never makes no tolerance.
    assert validate_basis(Outcome.NO_TOLERANCE, ["10(2)"]) == [
        "认定为“不予容错”须至少引用第十二条所列的一项情形"
    ]


EXEMPTED_EARLIER = EarlierDetermination(
    case_number="历城执监〔2025〕第1号",
    outcome=Outcome.EXEMPT,
    error_type="procedure",
    decided_on=D(2025, 9, 25),
    exempted=True,
)


def problems(outcome, basis, finding, reasons="理由。", **kw):
    return finding_problems(
        outcome=outcome,
        basis=basis,
        finding=finding,
        reasons=reasons,
        conduct_on=kw.get("conduct_on"),
        earlier=kw.get("earlier", [EXEMPTED_EARLIER]),
        finding_required=kw.get("finding_required", True),
    )


@pytest.mark.parametrize("finding", ["same_problem", "after_exemption"])
def test_art12_5_finding_blocks_exemption_allows_art11(finding):
    conduct = {"conduct_on": D(2025, 10, 3)}
    for outcome, basis in [
        (Outcome.EXEMPT, ["10(2)", "12(5)"]),
        (Outcome.LIGHTER, ["10(2)", "12(5)"]),
        (Outcome.REDUCED, ["10(2)", "12(5)"]),
        (Outcome.DUTY_FULFILLED, ["9(1)", "12(5)"]),
    ]:
        found = problems(outcome, basis, finding, **conduct)
        assert any("不予容错" in p and "（第十二条第（五）项）" in p for p in found)
    for outcome, basis in [
        (Outcome.NO_TOLERANCE, ["12(5)"]),
        (Outcome.MITIGATION_LIGHTER, ["11(2)", "12(5)"]),
        (Outcome.MITIGATION_REDUCED, ["11(1)", "12(5)"]),
    ]:
        assert problems(outcome, basis, finding, **conduct) == []
    # The finding is the Art. 12(5) item: the basis must cite it.
    assert problems(Outcome.NO_TOLERANCE, ["12(1)"], finding, **conduct) == [
        "已认定属于该项情形，认定依据须引用该项（第十二条第（五）项）。"
    ]


def test_art12_5_second_limb_is_an_error_after_the_exemption():
    after = "after_exemption"
    basis = ["12(5)"]
    # The new error must occur after the earlier exemption decision.
    assert problems(Outcome.NO_TOLERANCE, basis, after, conduct_on=None)
    same_day = problems(Outcome.NO_TOLERANCE, basis, after, conduct_on=D(2025, 9, 25))
    assert same_day and "不属于免责后“再次出现”的情形" in same_day[0]
    assert problems(Outcome.NO_TOLERANCE, basis, after, conduct_on=D(2025, 9, 26)) == []
    # Without any earlier exemption the second limb cannot apply.
    not_exempted = EarlierDetermination(
        "历城执监〔2025〕第2号", Outcome.NO_TOLERANCE, "procedure", D(2025, 9, 1), False
    )
    message = problems(
        Outcome.NO_TOLERANCE,
        basis,
        after,
        conduct_on=D(2025, 10, 1),
        earlier=[not_exempted],
    )
    assert message == [
        "该人员没有既往的容错免责认定，不属于“给予容错免责处理后再次出现”的情形"
        "（第十二条第（五）项）。"
    ]
    # The first limb needs no earlier exemption: it is the office's finding.
    assert problems(Outcome.NO_TOLERANCE, basis, "same_problem", earlier=[]) == []


def test_art12_5_earlier_determinations_call_for_a_reasoned_finding():
    """The error type is a hint, not the test: any earlier determination
    asks for the finding (office rule repeat_finding_required), with reasons;
    a finding that the item does not apply leaves every outcome open."""
    missing = problems(Outcome.EXEMPT, ["10(2)"], "")
    assert len(missing) == 1 and "依本机构工作规则" in missing[0]
    assert problems(Outcome.EXEMPT, ["10(2)"], "", finding_required=False) == []
    assert problems(Outcome.EXEMPT, ["10(2)"], "", earlier=[]) == []
    unreasoned = problems(Outcome.EXEMPT, ["10(2)"], "not_applicable", reasons=" ")
    assert len(unreasoned) == 1 and "本机构理解" in unreasoned[0]
    assert problems(Outcome.EXEMPT, ["10(2)"], "not_applicable") == []
    assert problems(Outcome.NO_TOLERANCE, ["12(5)"], "not_applicable") == [
        "已认定不属于第十二条第（五）项情形，不能再引用该项（第十二条第（五）项）。"
    ]


@pytest.mark.parametrize("source", [Stage.NOTIFIED, Stage.CORRECTING])
def test_art18_archiving_needs_the_act_finding_and_the_letter(source):
    base = {"notifications_done": True}
    if source == Stage.CORRECTING:
        base["correction_required"] = True
    no_finding = CaseFacts(stage=source, act_finding_missing=True, **base)
    assert check_transition(no_finding, Stage.ARCHIVED) == [
        "尚未认定被监督的行政执法行为是否违法或不当"
        "（依本机构工作规则：归档前须对被监督的行政执法行为作出合法性认定）。"
    ]
    no_letter = CaseFacts(stage=source, opinion_letter_missing=True, **base)
    assert check_transition(no_letter, Stage.ARCHIVED) == [
        "被监督的行政执法行为已认定为违法或不当，"
        "应当制发《行政执法监督意见书》，尚未制发（第十八条）。"
    ]
    assert check_transition(CaseFacts(stage=source, **base), Stage.ARCHIVED) == []
