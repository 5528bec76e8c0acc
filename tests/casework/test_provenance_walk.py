"""Every refusal of the services names a source that exists (issue #13).

The walk is static (ast): it reads the service modules, the stage and repeat
rules, the document checks and the reporting rules, and finds

- every ``Article(n, item)``, ``OfficeRule(key)`` and ``Reading(key)`` they
  build, and checks that the article and item exist in the policy text
  (parsed by casework.rules.articles), that the office rule is described in
  the registry and set in settings, and that the reading is listed;
- every string a refusal is built from, and checks that none cites an article
  in its own words — "（第十六条）" — since the citation must come from the
  source object, and that none claims an office rule or a reading by hand;
- every article a message mentions, and checks that it exists;
- every office rule the code reads (``office_rules.value/enabled``).

Run as a script, it writes the reviewer's table of article-citing messages
beside the sentence of the article each rests on:
``python tests/casework/test_provenance_walk.py /tmp/coord/article-citations.md``.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from casework.rules.articles import (  # noqa: E402
    chinese_numeral_to_int,
    load_policy_items,
    policy_text,
)
from casework.rules.provenance import (  # noqa: E402
    OFFICE_RULES,
    READINGS,
    Article,
    article_exists,
)

WALKED = [
    *sorted((ROOT / "casework" / "services").glob("*.py")),
    ROOT / "casework" / "rules" / "stages.py",
    ROOT / "casework" / "rules" / "repeat.py",
    ROOT / "casework" / "rules" / "articles.py",
    ROOT / "casework" / "documents.py",
    ROOT / "casework" / "risk_points.py",
    ROOT / "reporting" / "rules.py",
    ROOT / "reporting" / "services.py",
]
# In documents.py only the refusals are walked: the documents' own wording
# (the review right "（第十九条）") is the decision's text, not a refusal.
ONLY_FUNCTIONS = {ROOT / "casework" / "documents.py": {"check_can_generate"}}
# The deadline engine labels its periods (a row's ``source``), it refuses
# nothing: its refusals, if any, are still walked as call sites, but its
# labels are not refusal messages.
LABELS_NOT_MESSAGES = {ROOT / "casework" / "services" / "time_limits.py"}
OFFICE_RULE_READERS = [
    *sorted((ROOT / "casework").rglob("*.py")),
    *sorted((ROOT / "reporting").rglob("*.py")),
]

REFUSAL_CALLS = {"require", "refuse", "_require", "sourced", "CaseworkError"}
SOURCES = {"Article", "OfficeRule", "Reading"}
NUMERAL = "[一二三四五六七八九十]+"
CITATION = re.compile(rf"[（(]\s*第{NUMERAL}条")
MENTION = re.compile(rf"第({NUMERAL})条(?:第[（(]({NUMERAL})[）)]项)?")
CLAIMS = ("依本机构工作规则", "本机构理解")


@dataclass(frozen=True)
class Site:
    path: Path
    line: int
    call: str
    message: str
    source: str  # "Article(16)", "OfficeRule('x')", a name, or ""

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


GETTEXT = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy"}


def _translated(call: ast.Call) -> str | None:
    """The Chinese of a gettext call with constant arguments, read from the
    catalogue: since #18 a message is written as its English msgid, and what
    the walk checks is what the user reads."""
    if _name(call.func) not in GETTEXT:
        return None
    args = call.args
    if not args or not all(
        isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args
    ):
        return None
    from django.utils import translation

    with translation.override("zh-hans"):
        if _name(call.func).startswith("pgettext"):
            return str(translation.pgettext(args[0].value, args[1].value))
        return str(translation.gettext(args[0].value))


def _text(node: ast.AST) -> str:
    """A message as written: string constants joined (gettext messages in
    their Chinese), {…} for the rest."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call) and (translated := _translated(node)) is not None:
        return translated
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return _text(node.left)
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value if isinstance(v, ast.Constant) else "{…}" for v in node.values
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _text(node.left) + _text(node.right)
    return ""


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(
            node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
        ):
            body = getattr(node, "body", [])
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
            ):
                ids.add(id(body[0].value))
    return ids


def _scopes(path: Path, tree: ast.Module) -> list[ast.AST]:
    wanted = ONLY_FUNCTIONS.get(path)
    if wanted is None:
        return [tree]
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name in wanted
    ]


def _source_of(call: ast.Call) -> ast.AST | None:
    for keyword in call.keywords:
        if keyword.arg == "source":
            return keyword.value
    if _name(call.func) == "sourced" and call.args:
        return call.args[0]
    return None


def _message_of(call: ast.Call) -> ast.AST | None:
    name = _name(call.func)
    if name == "sourced":
        return call.args[1] if len(call.args) > 1 else None
    if name == "require":
        return call.args[1] if len(call.args) > 1 else None
    if name in {"refuse", "CaseworkError"}:
        return call.args[0] if call.args else None
    if name == "_require":
        return call.args[1] if len(call.args) > 1 else None
    return None


def walk() -> tuple[list[Site], list[ast.Call], list[tuple[Path, str]]]:
    """(refusal sites, source constructions, non-docstring literals)."""
    sites, sources, literals = [], [], []
    for path in WALKED:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = _docstrings(tree)
        for scope in _scopes(path, tree):
            msgids = set()
            for node in ast.walk(scope):
                if (
                    isinstance(node, ast.Call)
                    and path not in LABELS_NOT_MESSAGES
                    and (translated := _translated(node)) is not None
                ):
                    # The msgid arguments are read in Chinese, once.
                    msgids.update(id(arg) for arg in node.args)
                    literals.append((path, node.lineno, translated))
                if isinstance(node, ast.Call) and _name(node.func) in SOURCES:
                    sources.append((path, node))
                if isinstance(node, ast.Call) and _name(node.func) in REFUSAL_CALLS:
                    message = _message_of(node)
                    source = _source_of(node)
                    sites.append(
                        Site(
                            path,
                            node.lineno,
                            _name(node.func),
                            _text(message) if message is not None else "",
                            ast.unparse(source) if source is not None else "",
                        )
                    )
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and id(node) not in docstrings
                    and id(node) not in msgids
                    and path not in LABELS_NOT_MESSAGES
                ):
                    literals.append((path, node.lineno, node.value))
    return sites, sources, literals


def _const_args(call: ast.Call) -> list:
    return [a.value for a in call.args if isinstance(a, ast.Constant)]


def _rule_reads() -> list[tuple[Path, int, str]]:
    reads = []
    for path in OFFICE_RULE_READERS:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"value", "enabled"}
                and _name(node.func.value) == "office_rules"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                reads.append((path, node.lineno, node.args[0].value))
    return reads


# --- the tests ------------------------------------------------------------------


def test_the_walk_finds_the_refusals():
    sites, sources, _literals = walk()
    sourced_sites = [s for s in sites if s.source]
    # A walk that found nothing would pass everything: it must see the
    # guards of every stage, with their sources.
    assert len(sites) >= 100
    assert len(sourced_sites) >= 40
    assert {s.path.name for s in sourced_sites} >= {
        "decision.py",
        "review.py",
        "transition.py",
        "stages.py",
        "repeat.py",
        "documents.py",
        "rules.py",
    }
    assert len(sources) >= 40


def test_every_cited_article_and_item_exists_in_the_policy_text():
    _sites, sources, _literals = walk()
    text = policy_text()
    for path, call in sources:
        if _name(call.func) != "Article":
            continue
        args = _const_args(call)
        assert len(args) == len(call.args), f"{path}:{call.lineno} not constant"
        article = Article(*args)
        assert article_exists(article, text), f"{path}:{call.lineno} {article}"


def _rule_keys_passed() -> list[tuple[Path, int, str]]:
    """Office-rule keys handed to the helpers that build the OfficeRule:
    ``require_head(user, rule="key")`` and ``_decide(..., head="key")``."""
    keys = []
    for path in WALKED:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _name(node.func) in {
                "require_head",
                "_decide",
            }:
                for keyword in node.keywords:
                    if keyword.arg in {"rule", "head"} and isinstance(
                        keyword.value, ast.Constant
                    ):
                        keys.append((path, node.lineno, keyword.value.value))
    return keys


def test_every_office_rule_exists_in_the_registry_and_in_settings(settings):
    _sites, sources, _literals = walk()
    configured = settings.CASEWORK_OFFICE_RULES
    keys = [
        (path, call.lineno, _const_args(call)[0])
        for path, call in sources
        if _name(call.func) == "OfficeRule" and _const_args(call)
    ]
    keys += _rule_keys_passed()
    assert len(keys) >= 15
    for path, line, key in keys:
        assert key in OFFICE_RULES, f"{path}:{line} {key}"
        assert key in configured, f"{path}:{line} {key} not in settings"
    for path, line, key in _rule_reads():
        assert key in OFFICE_RULES, f"{path}:{line} reads unknown rule {key}"
    assert set(configured) == set(OFFICE_RULES)


def test_every_reading_is_listed():
    _sites, sources, _literals = walk()
    for path, call in sources:
        if _name(call.func) != "Reading":
            continue
        (key,) = _const_args(call)
        assert key in READINGS, f"{path}:{call.lineno} {key}"


def test_no_message_cites_an_article_or_claims_a_rule_in_its_own_words():
    """Citations come from source objects only, so a message citing Art. 19
    is one whose source is Article(19), never a hand-typed '（第十九条）'."""
    _sites, _sources, literals = walk()
    for path, line, value in literals:
        assert not CITATION.search(value), f"{path}:{line}: {value}"
        assert not any(claim in value for claim in CLAIMS), f"{path}:{line}: {value}"


def test_every_article_a_message_mentions_exists():
    _sites, _sources, literals = walk()
    text = policy_text()
    for path, line, value in literals:
        for number, item in MENTION.findall(value):
            article = Article(
                chinese_numeral_to_int(number),
                chinese_numeral_to_int(item) if item else None,
            )
            assert article_exists(article, text), f"{path}:{line}: {value}"


def test_every_refusal_with_a_source_names_a_source_object():
    sites, _sources, _literals = walk()
    for site in sites:
        assert not CITATION.search(site.message), f"{site.where}: {site.message}"
        if not site.source:
            continue
        # A source is built in place or passed in a variable that the
        # construction check above has validated where it was built.
        assert re.match(r"^(Article|OfficeRule|Reading)\(|^[a-z_]+$", site.source), (
            f"{site.where}: {site.source}"
        )


# --- the reviewer's table -----------------------------------------------------------


def _article_text(number: int) -> str:
    lines, inside = [], False
    heading = re.compile(rf"^\s*第({NUMERAL})条")
    for line in policy_text().splitlines():
        if match := heading.match(line):
            inside = chinese_numeral_to_int(match[1]) == number
            if inside:
                lines.append(line.strip())
            continue
        if re.match(rf"^\s*第{NUMERAL}章", line):
            inside = False
        if inside and line.strip():
            lines.append(line.strip())
    return "".join(lines)


def _best_sentence(number: int, item: int | None, message: str) -> str:
    if item is not None:
        for entry in load_policy_items().get(number, ()):
            if entry.number == item:
                return str(entry)
    sentences = [
        s for s in re.split(r"(?<=[。；])", _article_text(number)) if s.strip()
    ]

    def overlap(sentence: str) -> int:
        grams = {message[i : i + 2] for i in range(len(message) - 1)}
        return sum(sentence[i : i + 2] in grams for i in range(len(sentence) - 1))

    return max(sentences, key=overlap) if sentences else ""


def citation_table() -> str:
    sites, _sources, _literals = walk()
    rows = [
        "# Article-citing messages and the sentence each rests on (issue #13)",
        "",
        "Generated by `python tests/casework/test_provenance_walk.py`. One row per "
        "refusal whose source is an article; office rules (本机构工作规则) and "
        "readings (本机构理解) are listed on the admin page and in the README.",
        "",
        "| where | message | cites | the article's words |",
        "|---|---|---|---|",
    ]
    for site in sites:
        match = re.match(r"^Article\((\d+)(?:,\s*(\d+))?\)$", site.source)
        if not match:
            continue
        number = int(match[1])
        item = int(match[2]) if match[2] else None
        label = Article(number, item).label
        sentence = _best_sentence(number, item, site.message)
        message = site.message.replace("|", "｜").replace("\n", " ")
        rows.append(f"| {site.where} | {message} | {label} | {sentence} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    table = citation_table()
    if target:
        target.write_text(table, encoding="utf-8")
    else:
        print(table)
