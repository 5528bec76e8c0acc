"""Every Chinese string of the project's Python code goes through gettext
(issue #18: the catalogue is the one place to reword the UI).

Read from the source (AST), not imported: a string literal with a CJK
character in the packages below must be an argument of a gettext call
(``_``, ``gettext``, ``gettext_lazy``, ``pgettext``… and never as an
f-string, which the catalogue cannot hold) unless

- it is a docstring or another bare string statement (no effect, not UI);
- it occurs word for word in the measure the project ships
  (``casework/data/licheng_measures_2025.txt``): quotations of the law are
  not UI wording, and must stay as the law says;
- it is listed in ``ALLOWED`` below, by module and by the name of the
  constant, class, function or assignment that holds it, with the reason:
  demo content, parsing patterns and word lists, values stored in the
  database, formats. A module is allowed as a whole (``"*"``) only where
  every Chinese string in it is of that kind.

The failure lists every offending ``file:line``; an entry of ``ALLOWED``
that no longer matches anything fails too, so the list stays narrow.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (
    "portal",
    "audit",
    "staffauth",
    "casework",
    "publishing",
    "reporting",
    "search",
)
POLICY_FILE = ROOT / "casework/data/licheng_measures_2025.txt"

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
GETTEXT = frozenset(
    {
        "_",
        "gettext",
        "gettext_lazy",
        "gettext_noop",
        "pgettext",
        "pgettext_lazy",
        "ngettext",
        "ngettext_lazy",
        "npgettext",
        "npgettext_lazy",
        "_lazy",
    }
)

DEMO = "demo content, loaded into the database by load_demo; not UI wording"
MEASURE_TEXT = (
    "patterns and words of the published measures the parser reads (document "
    "numbers, dates, headings, issuing bodies): data for matching Chinese text"
)
NUMERALS = "Chinese numeral table (data for reading and writing numbers)"

# module (path from the repository root) -> {name: reason}. A name is a
# constant, class, function or assigned name enclosing the literal, or a
# dotted path of them from the module ("Report.Kind"); "*": the whole module.
ALLOWED: dict[str, dict[str, str]] = {
    # --- demo content ------------------------------------------------------
    "casework/demo.py": {"*": DEMO},
    "publishing/demo.py": {"*": DEMO},
    "reporting/demo.py": {"*": DEMO},
    "portal/demo.py": {
        "site_tree": "the demo home page, stored in the database",
        "site_settings": "the demo site settings, stored in the database",
    },
    "portal/management/commands/load_demo.py": {
        "*": "the demo site's users, stored in the database"
    },
    # --- casework ----------------------------------------------------------
    "casework/conf.py": {
        "CASEWORK_OFFICE_RULES": "option values of the office rules (settings "
        "data, compared with OFFICE_RULES' defaults)"
    },
    "casework/documents.py": {
        "POLICY_TITLE": "the measure's title as the official documents cite it "
        "(document content)",
        "NUMBER_FORMATS": "formats of the document numbers stored in the database",
        "OFFICER_STATUS": "Art. 4 para. 2's categories of officers as the "
        "official documents name them (document content)",
    },
    "casework/reports.py": {
        "collect_figures": "row labels of the periodic report's figures, stored "
        "with the report (JSON) and read back by these keys",
        "render_docx": "reads the stored figures by their row labels",
    },
    "casework/roles.py": {
        "OFFICER": "group name stored in the database (data migration)",
        "HEAD": "group name stored in the database (data migration)",
        "LIAISON": "group name stored in the database (data migration)",
        "REVIEWER": "group name stored in the database (data migration)",
    },
    "casework/rules/articles.py": {
        "_NUMERAL_CHARS": NUMERALS,
        "chinese_numeral_to_int": "English developer error quoting the numerals",
        "ArticleItem.label": "citation format of the measure (第X条第（Y）项)",
        "OUTCOME_LABELS": "the measure's outcome terms (Art. 9-12); 从轻处理 and "
        "从轻追究责任 are its 从轻、减轻处理 and 从轻、减轻追究责任 taken apart",
        "_article_label": "citation format of the measure (第X条)",
    },
    "casework/rules/provenance.py": {
        "Article.label": "citation format of the measure (第X条第（Y）项)",
        "OFFICE_RULES": "default option values of the office rules (data, "
        "compared with the settings)",
    },
    "casework/rules/repeat.py": {
        "FINDING_LABELS": "the measure's terms for the Art. 12 item 5 findings "
        "(the other two are its words verbatim)"
    },
    "casework/services/common.py": {
        "CASE_NUMBER_FORMAT": "format of the case number stored in the database"
    },
    # --- portal ------------------------------------------------------------
    "portal/numerals.py": {"*": NUMERALS},
    "portal/clock.py": {
        "cn_date": "the Chinese date format 2026年12月2日 (a format, not wording)"
    },
    "portal/documents.py": {
        "ISSUER": "the office as it signs the generated official documents "
        "(document content and the files' author property)",
        "APPLICATION": "the files' application property: document metadata",
        "BODY_FONT": "font family name (data for the document's style)",
        "HEADING_FONT": "font family name (data for the document's style)",
        "TITLE_FONT": "font family name (data for the document's style)",
        "PAGE_NUMBER_FONT": "font family name (data for the document's style)",
    },
    "portal/hooks.py": {
        "HOOKS": "English contracts of the hooks (developer documentation), "
        "naming the Chinese pages they feed"
    },
    "portal/logfilter.py": {
        "ADDRESS": "written into log lines only, never shown to users",
        "AGENT": "written into log lines only, never shown to users",
    },
    "portal/settings/base.py": {
        "LANGUAGES": "a language's own name (endonym), never translated",
        "WAGTAILADMIN_PERMITTED_LANGUAGES": "a language's own name (endonym)",
        "WAGTAIL_SITE_NAME": "the platform's proper name, also the TOTP issuer "
        "stored in staff's authenticator apps",
        "STAFF_OTP_RESET_GROUPS": "group name stored in the database",
    },
    "portal/uploads/common.py": {
        "clean_name": "fallback name of a nameless upload, stored as the "
        "attachment's original file name"
    },
    "portal/uploads/metadata.py": {
        "_Labels": "pseudonym (作者1, 作者2…) written into the cleaned file's "
        "metadata in place of a person's name: file content, not UI"
    },
    # --- publishing --------------------------------------------------------
    "publishing/anonymize.py": {
        "COMPOUND_SURNAMES": "word list of compound surnames the anonymity "
        "check matches",
        "_PROVINCES": "pattern: province characters of vehicle plates",
        "_PATTERNS": "patterns of identifying numbers (转: a telephone extension)",
        "_clean_names": "pattern: a name already shortened to surname + 某",
        "redact": "the redaction written into the published text "
        "(surname + 某), as Art. 22 notices write it",
    },
    "publishing/services.py": {
        "POLICY_INDEX_TITLE": "title of the index page created on first "
        "import, stored in the database",
        "NOTICE_INDEX_TITLE": "title of the index page created for the first "
        "notice, stored in the database",
        "FIRST_IMPORT_NOTE": "revision change note, stored in the database",
        "REIMPORT_NOTE": "revision change note, stored in the database",
        "FINDING_SENTENCES": "the proposed notice's finding, in the words of "
        "Art. 22; stored as the page's body",
        "CLEARED_SENTENCE": "the proposed notice's finding, in the words of "
        "Art. 22; stored as the page's body",
        "notice_text": "the proposed text of a public clarification notice "
        "(an official document, Art. 22), stored as the page's title and body",
    },
    "publishing/editorial.py": {
        "EDITOR_GROUP": "group name stored in the database (migration 0004)",
        "LEGAL_REVIEWER_GROUP": "group name stored in the database",
        "WORKFLOW": "workflow name stored in the database",
    },
    "publishing/policytext.py": {
        "chapter_heading": "the measure's own chapter heading (第X章), "
        "rebuilt from the stored number and title"
    },
    "publishing/statistics.py": {
        "TOTAL": "key of a table's total among the variables of the "
        "suppression equations; never shown",
        "_figures": "row keys of the years table (2026年), parsed back by "
        "_equations; stored in the snapshot",
        "_equations": "parses the year keys of _figures",
    },
    "publishing/models/notice.py": {
        "ClarificationNoticePage.issuing_body": "field default, stored in the "
        "database with each notice"
    },
    "publishing/templatetags/publishing_tags.py": {
        "_ITEM_RE": "pattern of item numbers （一）",
    },
    "publishing/management/commands/import_policy.py": {
        "Command.help": "English help naming the Chinese headings it reads"
    },
    # --- reporting ---------------------------------------------------------
    "reporting/services.py": {
        "NUMBER_FORMAT": "format of the report number stored in the database "
        "(历城执监举〔2026〕1号)"
    },
    # --- the reader of published measures ------------------------------------
    "portal/measures/cover.py": {"*": MEASURE_TEXT},
    "portal/measures/dates.py": {"*": MEASURE_TEXT},
    "portal/measures/structure.py": {"*": MEASURE_TEXT},
    "portal/measures/text.py": {"*": MEASURE_TEXT},
    # --- search ------------------------------------------------------------
    "search/segment.py": {
        "*": "the segmenter's stop words, numeral table and article-reference "
        "pattern: data for matching Chinese text"
    },
    "search/views.py": {
        "SUGGESTIONS": "suggested queries: words of the Chinese content that "
        "the search finds, not wording"
    },
}


@dataclass(frozen=True)
class Literal:
    path: str
    line: int
    text: str
    names: tuple[tuple[str, ...], ...]  # enclosing scopes, outermost first
    wrapped: bool
    f_string: bool


def _targets(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AnnAssign | ast.AugAssign):
        targets = [node.target]
    else:
        return []
    names = []
    for target in targets:
        for sub in ast.walk(target):
            if isinstance(sub, ast.Name):
                names.append(sub.id)
            elif isinstance(sub, ast.Attribute):
                names.append(sub.attr)
    return names


def _call_name(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def literals(source: str, path: str = "<snippet>") -> Iterator[Literal]:
    """The CJK string literals of ``source`` that are not bare string
    statements (docstrings and the like)."""
    tree = ast.parse(source)
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if not CJK.search(node.value):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Expr):
            continue  # a docstring or another statement without effect
        # Climb out of f-strings and concatenations to what uses the text.
        f_string = False
        holder = parent
        while isinstance(holder, ast.JoinedStr | ast.FormattedValue | ast.BinOp):
            f_string = f_string or isinstance(holder, ast.JoinedStr)
            holder = parents.get(holder)
        wrapped = (
            isinstance(holder, ast.Call)
            and _call_name(holder) in GETTEXT
            and not f_string
        )
        # The names enclosing the literal, outermost first.
        chain: list[str] = []
        scopes: list[tuple[str, ...]] = []
        up = parent
        trail: list[ast.AST] = []
        while up is not None:
            trail.append(up)
            up = parents.get(up)
        for scope in reversed(trail):
            if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                chain.append(scope.name)
                scopes.append(tuple(chain))
            else:
                for name in _targets(scope):
                    scopes.append((*chain, name))
        yield Literal(
            path=path,
            line=node.lineno,
            text=node.value,
            names=tuple(scopes),
            wrapped=wrapped,
            f_string=f_string,
        )


def allowed_by(literal: Literal, allowed: Mapping[str, str]) -> str | None:
    """The allow-list entry that covers ``literal``, if any."""
    if "*" in allowed:
        return "*"
    for scope in literal.names:
        dotted = ".".join(scope)
        for entry in allowed:
            if entry == scope[-1] or entry == dotted:
                return entry
    return None


def offences(
    source: str,
    path: str,
    policy_text: str,
    allowed: Mapping[str, Mapping[str, str]],
    used: set[tuple[str, str]] | None = None,
) -> list[str]:
    """``path:line: text`` of each CJK literal of ``source`` outside gettext
    and not excused; ``used`` collects the allow-list entries that matched."""
    found = []
    for literal in sorted(literals(source, path), key=lambda lit: lit.line):
        if literal.wrapped:
            continue
        entry = allowed_by(literal, allowed.get(path, {}))
        if entry is not None:
            if used is not None:
                used.add((path, entry))
            continue
        if not literal.f_string and literal.text in policy_text:
            continue
        how = "f-string" if literal.f_string else "literal"
        found.append(f"{path}:{literal.line}: {how} {literal.text[:60]!r}")
    return found


def project_files() -> Iterator[Path]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.relative_to(ROOT).parts:
                continue
            yield path


def test_chinese_strings_go_through_gettext():
    policy_text = POLICY_FILE.read_text(encoding="utf-8")
    used: set[tuple[str, str]] = set()
    found = []
    for path in project_files():
        relative = path.relative_to(ROOT).as_posix()
        found += offences(
            path.read_text(encoding="utf-8"), relative, policy_text, ALLOWED, used
        )
    if found:
        print("\n".join(found))
        pytest.fail(
            f"{len(found)} Chinese string(s) outside gettext:\n" + "\n".join(found),
            pytrace=False,
        )


def test_allow_list_is_narrow_and_current():
    """Every entry still covers something, names a file that exists, and
    gives a reason."""
    policy_text = POLICY_FILE.read_text(encoding="utf-8")
    used: set[tuple[str, str]] = set()
    for path in project_files():
        relative = path.relative_to(ROOT).as_posix()
        if relative in ALLOWED:
            offences(
                path.read_text(encoding="utf-8"), relative, policy_text, ALLOWED, used
            )
    stale = [
        f"{path}: {entry}"
        for path, entries in ALLOWED.items()
        for entry, reason in entries.items()
        if (path, entry) not in used or not reason.strip()
    ]
    assert stale == []


SNIPPET = '''
"""模块说明：文档字符串不算。"""
from django.utils.translation import gettext as _, pgettext_lazy

LABEL = "未翻译的标签"
OK = _("translated")
CONTEXT = pgettext_lazy("menu", "中文也可以写在 msgid 里")
QUOTE = "行政执法履职尽责容错纠错工作要坚持“三个区分开来”"
PATTERN = r"第(\\d+)条"


def message(name):
    """函数文档。"""
    bad = f"“{name}”不能为空"
    worse = _(f"“{name}”不能为空")
    joined = _("Name") + "（必填）"
    return bad, worse, joined


class Form:
    title = "表单标题"
'''


def test_the_check_catches_unwrapped_chinese():
    """What the check reports on a snippet: unwrapped literals, f-strings
    (also inside gettext) and concatenations; not docstrings, gettext
    arguments, quotations of the measure or allowed names."""
    policy = "第二条  行政执法履职尽责容错纠错工作要坚持“三个区分开来”，即……"
    allowed = {"x.py": {"PATTERN": "pattern of article references"}}
    used: set[tuple[str, str]] = set()
    found = offences(SNIPPET, "x.py", policy, allowed, used)
    lines = [int(item.split(":")[1]) for item in found]
    source = SNIPPET.splitlines()
    assert [source[n - 1].strip().split(" = ")[0] for n in lines] == [
        "LABEL",
        "bad",
        "worse",
        "joined",
        "title",
    ]
    assert all(item.startswith("x.py:") for item in found)
    assert used == {("x.py", "PATTERN")}
    # Without the allow-list entry the pattern is reported too; a class
    # attribute is allowed by its dotted name.
    assert len(offences(SNIPPET, "x.py", policy, {})) == 6
    assert len(offences(SNIPPET, "x.py", policy, {"x.py": {"Form.title": "r"}})) == 5
    assert offences(SNIPPET, "x.py", policy, {"x.py": {"*": "demo"}}) == []
