"""Demo content of the publishing plugin (hook ``register_demo_content``):
the index pages, the interpretation desk and its two logins (editor,
legal_reviewer), the Licheng measures imported from the one copy of the text
(casework/data/), three interpretations linked to their articles, a
clarification notice drafted from a demo case and the transparency page.
Idempotent: a second run finds everything in place and changes nothing."""

from __future__ import annotations

import datetime
from importlib import resources

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from casework.models import SupervisionCase
from casework.rules.articles import policy_text
from portal.demo import DEMO_ADMIN_PASSWORD, ensure_demo_users, login_lines
from publishing import services
from publishing.editorial import (
    EDITOR_GROUP,
    LEGAL_REVIEWER_GROUP,
    open_interpretation_desk,
)
from publishing.models import (
    ClarificationNoticePage,
    InterpretationPage,
    PolicyDocumentPage,
    TransparencyStatisticsPage,
)

INTERPRETATION_INDEX_SLUG = services.INTERPRETATION_INDEX_SLUG

# username: (last name, first name, group, what the login shows); fictional.
DEMO_USERS = {
    "editor": ("陆", "思远", EDITOR_GROUP, "撰写政策解读，提交法制审核"),
    "legal_reviewer": (
        "尹",
        "若兰",
        LEGAL_REVIEWER_GROUP,
        "审核政策解读：要求修改或通过发布",
    ),
}

INTERPRETATIONS = [
    {
        "slug": "interpretation-three-distinctions",
        "title": "《历城区行政执法履职尽责容错纠错实施办法（试行）》政策解读",
        "date": datetime.date(2025, 2, 24),
        "articles": "2, 13, 14",
        "summary": (
            "实施办法坚持“三个区分开来”，明确了履职尽责、容错免责、核查纠错的"
            "认定标准和工作程序，为敢于担当的行政执法人员撑腰鼓劲。"
        ),
        "body": (
            "<h2>一、制定背景</h2>"
            "<p>为规范行政执法行为，推动行政执法过错责任追究工作中涉及履职尽责、容错纠错的"
            "工作机制落地见效，区政府依据《山东省行政执法监督条例》等规定制定本办法。</p>"
            "<h2>二、“三个区分开来”</h2>"
            "<p>第二条要求把改革中因缺乏经验、先行先试出现的失误，同明知故犯的违纪违法行为区分开来；"
            "把探索性试验中的失误，同明令禁止后依然我行我素的行为区分开来；"
            "把推动发展的无意过失，同谋取私利的行为区分开来。</p>"
            "<h2>三、工作程序</h2>"
            "<p>行政执法监督机构在启动行政执法监督案件时，同时启动容错纠错程序（第十三条），"
            "按照“立案、核实、认定、反馈、纠错、归档”六个环节组织实施（第十四条）。</p>"
        ),
    },
    {
        "slug": "interpretation-exemption",
        "title": (
            "哪些情形可以从轻、减轻处理或者予以免责？——实施办法第十条、第十一条解读"
        ),
        "date": datetime.date(2025, 3, 5),
        "articles": "10, 11, 18",
        "summary": (
            "第十条列举了应当从轻、减轻处理或者予以免责的十种情形，第十一条列举了可以从轻"
            "或者减轻责任的情形；予以容错免责的，不作为行政执法错误认定。"
        ),
        "body": (
            "<p>第十条所列情形，既包括执行上级决策部署中大胆探索出现的偏差，也包括因政策调整、"
            "多主体执法、相对人不配合、鉴定报告错误等客观原因造成的失误。</p>"
            "<p>第十一条针对主动挽回损失、积极配合调查并主动担责的情形，规定可以从轻或者减轻责任。</p>"
            "<p>依据第十八条，对行政执法机关及其行政执法人员予以容错免责的，不作为行政执法错误认定；"
            "不予容错免责的，依照行政执法过错责任追究程序处理。</p>"
        ),
    },
    {
        "slug": "interpretation-clarification",
        "title": "澄清正名保护机制如何运行？——实施办法第二十二条解读",
        "date": datetime.date(2025, 3, 12),
        "articles": "22",
        "summary": (
            "对经查受到恶意中伤、诬告陷害的行政执法人员，行政执法监督机构及时在一定范围内"
            "为其澄清正名，公告经匿名化处理后发布。"
        ),
        "body": (
            "<p>信访举报经查不属实、查无实据或者经认定予以容错免责的，实名举报的按规定向举报人反馈结果，"
            "匿名举报的在一定范围内说明情况。</p>"
            "<p>对受到恶意中伤、诬告陷害以及被恶意炒作和诽谤的行政执法人员，及时为其澄清和正名。"
            "本平台发布的澄清正名公告均经过匿名化处理：当事人仅保留姓氏（如“张某”），"
            "不公开身份证号码、联系电话、车牌号码等个人信息。</p>"
        ),
    },
]


#: The measures of the office's own province in publishing/data/measures
#: (SOURCES.md says where each was published): the demo's policy library.
#: The State Council order there is a fixture of the parser, not the library.
DEMO_LIBRARY = (
    "01_shandong-admin-enforcement-supervision-regulation.txt",
    "02_shandong-gov-decision-repeal-3-rules-2016.txt",
    "03_jinan-business-environment-regulation.txt",
    "04_jinan-npcsc-major-matters-provisions.txt",
    "05_shandong-npcsc-major-matters-provisions.txt",
)


def measure_text(name: str) -> str:
    """A measure shipped in publishing/data/measures."""
    return (resources.files("publishing") / "data" / "measures" / name).read_text(
        encoding="utf-8"
    )


def load_measure_library(parent, *, user=None, stdout=None) -> list:
    """Import the demo library's measures under ``parent`` (again: unchanged)."""
    results = [
        services.import_policy_text(measure_text(name), parent=parent, user=user)
        for name in DEMO_LIBRARY
    ]
    if stdout is not None:
        stdout.write(f"Policy library: {len(results)} measures of Shandong and Jinan")
    return results


def _demo_user():
    return get_user_model().objects.filter(is_superuser=True).order_by("pk").first()


@transaction.atomic
def load_publishing_demo(*, home, stdout) -> None:
    user = _demo_user()
    policies = services.index_page(services.POLICY_INDEX_SLUG, "政策文件")
    interpretations = services.index_page(INTERPRETATION_INDEX_SLUG, "政策解读")
    open_interpretation_desk(interpretations)
    # The interpretation desk's logins (the staffauth demo hook then gives
    # them the DEV-ONLY second factor).
    ensure_demo_users(DEMO_USERS)
    notices = services.index_page(services.NOTICE_INDEX_SLUG, "澄清正名公告")

    result = services.import_policy_text(policy_text(), parent=policies, user=user)
    policy = PolicyDocumentPage.objects.get(pk=getattr(result, "page", result).pk)
    if settings.PUBLISHING_DEMO_LIBRARY:
        load_measure_library(policies, user=user, stdout=stdout)

    added = 0
    for spec in INTERPRETATIONS:
        if InterpretationPage.objects.filter(slug=spec["slug"]).exists():
            continue
        page = InterpretationPage(
            title=spec["title"],
            slug=spec["slug"],
            date=spec["date"],
            source="历城区司法局",
            policy=policy,
            article_numbers=spec["articles"],
            summary=spec["summary"],
            body=spec["body"],
            live=False,
        )
        interpretations.add_child(instance=page)
        page.save_revision(user=user).publish(user=user)
        added += 1

    if not ClarificationNoticePage.objects.exists():
        case = (
            SupervisionCase.objects.filter(source="report", case_officers__isnull=False)
            .order_by("pk")
            .distinct()
            .first()
        )
        if case is not None:
            notice = services.draft_clarification_from_case(
                case, parent=notices, user=user
            )
            notice = notice.get_latest_revision_as_object()
            notice.save_revision(user=user).publish(user=user)
            added += 1

    if not TransparencyStatisticsPage.objects.exists():
        page = TransparencyStatisticsPage(
            title="数据公开",
            slug="statistics",
            show_in_menus=True,
            intro=(
                "<p>行政执法履职尽责容错纠错工作的汇总数据，定期自动更新。"
                "为保护个人信息，人数少于公开阈值的分组不予显示。</p>"
            ),
            live=False,
        )
        home.add_child(instance=page)
        page.save_revision(user=user).publish(user=user)
        added += 1
    _refresh_statistics()
    stdout.write(
        f"publishing demo: policy {policy.url} "
        f"({policy.articles.count()} articles), {added} pages added; "
        f"interpretation desk logins (password {DEMO_ADMIN_PASSWORD}):\n"
    )
    stdout.write(login_lines(DEMO_USERS))


def _refresh_statistics() -> None:
    from publishing import tasks
    from publishing.models import StatisticsSnapshot

    # Only the first time: load_demo must leave table counts unchanged when
    # run again; the scheduled task keeps the figures fresh afterwards.
    if not StatisticsSnapshot.objects.exists():
        tasks.refresh_statistics()
