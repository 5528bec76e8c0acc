"""Where each rule of the casework engine comes from.

Every refusal, warning and automatic effect names one of three sources:

- :class:`Article` — the measure itself, cited by article and, where the text
  lists items, by item. Cited only where the article's text says it.
- :class:`OfficeRule` — a choice the measure leaves to the office
  (本机构工作规则). Each is described once in :data:`OFFICE_RULES` (title,
  default, reason, the article whose silence leaves the room); its current value
  is the setting ``CASEWORK_OFFICE_RULES[key]``. Messages say "依本机构工作规则"
  and never cite an article.
- :class:`Reading` — the office's reading of words the text leaves open
  (本机构理解), listed in :data:`READINGS` with the article it reads. The
  district justice bureau interprets the measure (Art. 23): a reading gives way
  as soon as the bureau rules.

Pure: no ORM, no settings. ``casework.office_rules`` reads the current values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from casework.rules.articles import int_to_chinese_numeral, parse_items

__all__ = [
    "INTERPRETATION_NOTE",
    "OFFICE_RULES",
    "READINGS",
    "Article",
    "OfficeRule",
    "OfficeRuleSpec",
    "Reading",
    "ReadingSpec",
    "article_exists",
    "cite",
    "sourced",
]

INTERPRETATION_NOTE = (
    "本办法由区司法局负责解释（第二十三条）。区司法局作出解释的，"
    "以其解释为准，本机构理解随之失效。"
)


@dataclass(frozen=True, slots=True)
class Article:
    """Art. ``number``, item ``item`` of the measure (item None: the article)."""

    number: int
    item: int | None = None

    @property
    def label(self) -> str:
        text = f"第{int_to_chinese_numeral(self.number)}条"
        if self.item is not None:
            text += f"第（{int_to_chinese_numeral(self.item)}）项"
        return text

    @property
    def code(self) -> str:
        return str(self.number) if self.item is None else f"{self.number}({self.item})"


@dataclass(frozen=True, slots=True)
class OfficeRule:
    """An office rule (本机构工作规则), by its key in :data:`OFFICE_RULES`."""

    key: str

    @property
    def spec(self) -> OfficeRuleSpec:
        return OFFICE_RULES[self.key]


@dataclass(frozen=True, slots=True)
class Reading:
    """A reading (本机构理解), by its key in :data:`READINGS`."""

    key: str

    @property
    def spec(self) -> ReadingSpec:
        return READINGS[self.key]


Source = Article | OfficeRule | Reading


@dataclass(frozen=True, slots=True)
class OfficeRuleSpec:
    """One office rule: what it decides, its default and why.

    ``leaves_room`` is the article whose silence leaves the choice to the
    office; ``kind`` says what the head can change: ``"switch"`` (on/off),
    ``"number"`` (a count of days or requests) or ``"fixed"`` (a working
    method the engine is built on, listed so it is seen, not switched).
    """

    key: str
    title: str
    default: bool | int | str
    reason: str
    leaves_room: Article
    kind: str = "switch"


@dataclass(frozen=True, slots=True)
class ReadingSpec:
    """One reading: the words it reads, where, and how the office reads them."""

    key: str
    title: str
    articles: tuple[Article, ...]
    text: str


def _rules(*specs: OfficeRuleSpec) -> Mapping[str, OfficeRuleSpec]:
    return MappingProxyType({spec.key: spec for spec in specs})


OFFICE_RULES: Mapping[str, OfficeRuleSpec] = _rules(
    OfficeRuleSpec(
        "calendar_days",
        "期间按自然日计算",
        "自然日",
        "办法规定的期间未言明工作日或自然日；法律要求按工作日计算时会明示"
        "（如行政处罚法第八十五条），故本机构按自然日计算，起算日不计入，"
        "末日为法定节假日的顺延至节后第一个工作日（民法典第二百零一条至第二百零三条）。",
        Article(17),
        kind="fixed",
    ),
    OfficeRuleSpec(
        "extension_requests_max",
        "办理期限延长申请的次数",
        1,
        "第十七条限定延长期限合计不超过30日，未限定申请次数。本机构默认一案只审批一次"
        "延长，使负责人一次审查全部复杂情形；调整次数不改变合计30日的上限。",
        Article(17),
        kind="number",
    ),
    OfficeRuleSpec(
        "review_decider_independent",
        "复核决定人员与原调查、认定、签发人员分离",
        True,
        "第十九条未规定由谁作出复核决定。由未参与调查、认定或签发的人员复核，"
        "复核才有意义，也避免自我审查。",
        Article(19),
    ),
    OfficeRuleSpec(
        "reopened_decision_days",
        "复核改变结果后重新认定的期限（日）",
        30,
        "第十九条未规定复核改变认定结果后重新认定的期限。本机构参照第十七条的"
        "30日，自重新启动认定之日起计算。",
        Article(19),
        kind="number",
    ),
    OfficeRuleSpec(
        "archive_after_review_window",
        "复核申请期限届满后方可归档",
        True,
        "第十九条规定收到认定决定之日起15日内可以申请复核，未规定归档时间。"
        "期限内归档，复核申请将落在已归档的案卷上，故本机构待期限届满后归档。",
        Article(19),
    ),
    OfficeRuleSpec(
        "decision_signed_by_head",
        "行政执法监督决定由负责人签发",
        True,
        "第十四条、第十七条、第十八条未规定由谁签发监督决定。"
        "由监督机构负责人签发，与第十七条由负责人批准延长相一致。",
        Article(17),
    ),
    OfficeRuleSpec(
        "hearing_approved_by_head",
        "召开听证会由负责人批准",
        True,
        "第十四条规定重大复杂的案件可以召开听证会，未规定由谁决定。"
        "听证影响办理进度和当事人权益，由负责人批准。",
        Article(14),
    ),
    OfficeRuleSpec(
        "recusal_decided_by_head",
        "调查人员回避由负责人决定",
        True,
        "第十六条规定有利害关系的调查人员应当回避，未规定由谁决定。"
        "由负责人决定，回避一经批准即停止其对本案的全部访问。",
        Article(16),
    ),
    OfficeRuleSpec(
        "no_self_approval",
        "不得审批本人提出或涉及本人的申请",
        True,
        "办法未规定审批回避。审批本人的延期、回避或延长整改期限申请，审批即失去意义。",
        Article(17),
    ),
    OfficeRuleSpec(
        "correction_extension_by_head",
        "延长整改期限由负责人批准",
        True,
        "第二十条规定纠错对象可以申请延长整改期限，未规定由谁批准。由负责人批准。",
        Article(20),
    ),
    OfficeRuleSpec(
        "repeat_finding_required",
        "有既往认定的被调查人须就是否重复出现失误、错误作出认定并说明理由",
        True,
        "第十二条第（五）项是否适用，是办案人员依事实作出的认定，系统只能提示既往认定。"
        "有既往认定时，本机构要求在认定书中写明是否适用及理由，以免遗漏。",
        Article(12, 5),
    ),
    OfficeRuleSpec(
        "act_finding_before_archive",
        "归档前须对被监督的行政执法行为作出合法性认定",
        True,
        "第十八条第二款规定对违法或不当的行政执法行为制发意见书，未规定何时认定。"
        "归档前写明该行为合法、违法或不当，才能确定是否应当制发意见书。",
        Article(18),
    ),
    OfficeRuleSpec(
        "complete_before_determination",
        "已启动的鉴定、听证、移交办结后方可认定",
        True,
        "第十四条至第十六条规定了听证、移交和委托鉴定，未规定须待其结束后认定。"
        "在其结果出来之前认定，等于不看结果就下结论，故本机构待其办结后再认定。",
        Article(16),
        kind="fixed",
    ),
    OfficeRuleSpec(
        "reopen_only_by_review",
        "已作出的监督决定只经复核改变",
        True,
        "第十九条规定不服决定的可以申请复核，未规定本机构可以自行重新认定。"
        "本机构只在复核决定变更或撤销原决定时重新认定，以保持决定的确定性。",
        Article(19),
        kind="fixed",
    ),
    OfficeRuleSpec(
        "risk_point_closed_by_head",
        "易错风险点由负责人销号",
        True,
        "第二十一条规定找出易错风险点并警示提醒，未规定由谁确认整改到位、结束跟踪。"
        "由负责人销号，确保每一风险点的成因分析和整改核验经过审查。",
        Article(21),
        kind="fixed",
    ),
    OfficeRuleSpec(
        "filing_within_validity",
        "立案日期须在有效办法的施行期内",
        True,
        "第二十四条规定本办法的施行期，未规定期满后在办案件如何处理。"
        "本机构不依据已失效或尚未施行的办法立案。",
        Article(24),
    ),
    OfficeRuleSpec(
        "validity_warning_days",
        "办法有效期届满前提醒的天数",
        60,
        "第二十四条规定有效期至2027年2月28日。提前提醒，便于及时提请延续或"
        "出台新办法，并清理届满之日仍在办的案件；期满后的工作情况报告写明依据哪一办法报告。",
        Article(24),
        kind="number",
    ),
    OfficeRuleSpec(
        "report_first_review_days",
        "信访举报自收到之日起初步审查的天数",
        15,
        "第二十二条规定正确对待信访举报并反馈结果，未规定收到举报后多久作出处理。"
        "本机构自收到举报之日起15日内完成初步审查（立案核查、并入已有案件或说明不予立案的理由），"
        "举报人可在此后凭回执码查询。",
        Article(22),
        kind="number",
    ),
    OfficeRuleSpec(
        "correction_completion_reported",
        "纠错对象书面报告整改完成情况",
        "书面报告",
        "第二十条要求纠错对象在规定期限内完成纠错整改，第二十一条要求本机构跟踪了解整改情况，"
        "均未规定以何种方式确认整改完成。本机构要求纠错对象在整改期限届满前书面报告整改情况，"
        "以报告完成之日作为整改期限是否遵守的依据，并据此核实、跟踪。",
        Article(20),
        kind="fixed",
    ),
)
"""Every office rule, by key; values live in ``settings.CASEWORK_OFFICE_RULES``."""


def _readings(*specs: ReadingSpec) -> Mapping[str, ReadingSpec]:
    return MappingProxyType({spec.key: spec for spec in specs})


READINGS: Mapping[str, ReadingSpec] = _readings(
    ReadingSpec(
        "hearing_for_major_cases",
        "听证会用于重大复杂的案件",
        (Article(14),),
        "第十四条第二款“重大复杂的案件，可以召开听证会”。条文只对重大复杂的案件"
        "作出了授权，未规定其他案件可以召开听证会；本机构理解为听证会只用于"
        "立案时或办理中认定为重大复杂的案件，其他案件按第十六条的方式调查，"
        "并充分听取被调查人的陈述申辩。",
    ),
    ReadingSpec(
        "exemption_meaning",
        "“容错免责”指予以免责",
        (Article(12, 5), Article(18), Article(22)),
        "“容错免责”在第十二条第（五）项、第十八条和第二十二条中含义相同，指予以免责。"
        "依第十条、第十一条从轻、减轻的，责任仍然存在，属于第十八条所称"
        "“不予容错免责”，依照行政执法过错责任追究程序处理，并提出从轻、减轻的建议；"
        "只有予以免责的，不作为行政执法错误认定。",
    ),
    ReadingSpec(
        "art12_5_limbs",
        "第十二条第（五）项的两种情形",
        (Article(12, 5),),
        "第十二条第（五）项包括两种情形：一是因主观原因在同一问题上重复出现失误、错误；"
        "二是给予容错免责处理后再次出现同样失误、错误，即新的失误发生在前次免责决定之后。"
        "系统列出该人员的既往认定供参考，问题类型相同只是提示，不是判断标准；"
        "是否适用由办案人员认定并说明理由。",
    ),
    ReadingSpec(
        "art11_after_art12",
        "不予容错时仍可依第十一条从轻、减轻追究责任",
        (Article(11), Article(12)),
        "第十一条第（二）项“积极配合问责追责调查，并主动承担责任”以追究责任为前提，"
        "故第十二条所列情形排除容错免责和第十条的处理，但不排除依第十一条从轻或者减轻追究责任。",
    ),
    ReadingSpec(
        "art12_item_decides",
        "第十二条情形与第十条事实并存时，由第十二条决定",
        (Article(10), Article(12)),
        "同一事实既有第十条所列情形又有第十二条所列情形的，第十二条“不予容错”决定结果；"
        "不予容错的认定可以同时写明第十条所列事实。",
    ),
    ReadingSpec(
        "transfer_pauses_decision_period",
        "移交期间暂停本机构的办理期限",
        (Article(15), Article(17)),
        "第十七条的30日自立案之日起计算，第十五条又给执法机关接收移交后30日处理、"
        "7日内报送备案。两者字面并行，移交的案件将必然超期。本机构理解为：案件移交执法机关"
        "自行调查期间（自执法机关接收之日起至处理结果报送备案之日止），本机构第十七条的"
        "办理期限暂停计算，由第十五条的移交期限（30日处理、7日备案）接续；执法机关按期办理的，"
        "本机构不显示逾期；执法机关逾期的，逾期记在执法机关的移交期限上。",
    ),
    ReadingSpec(
        "extension_within_period",
        "“延长”只能在期限届满前作出",
        (Article(17),),
        "第十七条“经负责人批准可以延长”。已经届满的期限无从延长：延长申请须在办理期限届满前"
        "提出、并在届满前批准；届满后提出或批准的，不予延长，案件仍显示逾期。"
        "延长期限合计不超过30日（第十七条）。",
    ),
    ReadingSpec(
        "appraisal_pauses_running_period",
        "鉴定时间只在办理期限运行中扣除",
        (Article(16),),
        "第十六条“鉴定（评估、检测）等技术性调查时间不计入办理时间”。不计入的是办理期限内的"
        "时间：期限届满后才开始的鉴定照常记录，但不使已届满的期限复活或后移；"
        "同时进行的多项鉴定，重叠的时间只扣除一次。",
    ),
    ReadingSpec(
        "notification_recipients",
        "“告知相关单位及当事人”的范围",
        (Article(17),),
        "第十七条“决定作出后，应当于7日内告知相关单位及当事人”。相关单位指本案涉及的"
        "行政执法机关，当事人指本轮作出认定的每一名被调查人；每一名均须在7日内告知，"
        "未告知的逐一显示，第7日后逐一逾期。信访举报人不在此列，其反馈依第二十二条办理。",
    ),
    ReadingSpec(
        "report_result_is_decision",
        "信访举报的“结果”是案件的监督决定",
        (Article(17), Article(22)),
        "第二十二条“经查不属实、查无实据或者经认定予以容错免责”的结果，"
        "是第十七条调查终结后作出的决定；决定作出前没有可以反馈的结果。"
        "未立案而办结的举报，以不予立案的理由作为结果。",
    ),
)
"""Every reading, by key; each gives way when the justice bureau rules (Art. 23)."""


def cite(source: Source) -> str:
    """How a message names its source, e.g. ``"第十六条"``."""
    if isinstance(source, Article):
        return source.label
    if isinstance(source, OfficeRule):
        return f"依本机构工作规则：{source.spec.title}"
    if isinstance(source, Reading):
        spec = source.spec
        where = "、".join(article.label for article in spec.articles)
        return f"本机构理解：{spec.title}，见{where}，以区司法局解释为准"
    raise TypeError(f"not a source: {source!r}")


_END = "。；;."


def sourced(source: Source, message: str) -> str:
    """``message`` with its source appended: ``"…不得少于两人（第十六条）。"``."""
    text = message.rstrip().rstrip(_END)
    return f"{text}（{cite(source)}）。"


_ARTICLE_HEADING = re.compile(r"^\s*第\s*([一二三四五六七八九十]+)\s*条", re.MULTILINE)


def article_exists(article: Article, policy_text: str) -> bool:
    """Whether the policy text has this article (and this item of it)."""
    numbers = {
        match[1] for match in _ARTICLE_HEADING.finditer(policy_text.lstrip("\ufeff"))
    }
    if int_to_chinese_numeral(article.number) not in numbers:
        return False
    if article.item is None:
        return True
    items = parse_items(policy_text).get(article.number, [])
    return any(item.number == article.item for item in items)
