"""The zh_Hans catalogues say what their English says (issue #17).

An earlier catalogue had accepted fuzzy matches that read as Chinese but meant
something else: "joint investigation since" as 主导航, "determination" as 分页,
"decided by" and "decided at" both as 决定日期.  Checked here:

- within one model, no two fields carry the same Chinese label;
- a Chinese label of a model or field is shared only with English that says
  the same (same words up to case, plural and a parenthesis) or with a
  reviewed synonym below; "reopened on" may not read like "reported on", nor
  "joint investigation since" like the header's "Main navigation";
- every gettext-wrapped model and field label is Chinese at run time;
- no catalogue entry is fuzzy, and every translation keeps its placeholders.

The checks on the catalogue text are plain functions, so they can be run on an
older version of a catalogue too (``git show REV:path``).
"""

import re
from collections import defaultdict
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise

from portal.i18n_compile import catalogues, parse_po

ROOT = Path(__file__).resolve().parents[2]
PROJECT_CATALOGUES = [po for po in catalogues(ROOT) if "zh_Hans" in po.parts]
MAIN_CATALOGUE = ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"

# Different English, one Chinese term, reviewed as meaning the same here.
SYNONYMS = {
    frozenset(pair)
    for pair in [
        ("title", "name"),  # 名称: a case's title, a reference item's name
        ("created", "created at"),  # 创建时间 (Wagtail's API token column)
        ("agency", "enforcement agency"),  # 执法机关
        ("agency", "enforcement agencies"),
        ("enforcement agency", "enforcement agencies"),
        ("period", "deadline"),  # 期限
        ("home", "home page"),  # 首页
        ("home", "home pages"),
        ("kind", "type"),  # 类别
        ("result", "outcome"),  # 结果
        ("text", "body"),  # 正文
        ("in force from", "effective date"),  # 施行日期
        ("in force until", "expiry date"),  # 有效期至
        ("served on", "notified on"),  # 送达日期
        ("report", "reporting"),  # 信访举报
        ("reports", "reporting"),
        ("transfer to the agency", "case transferred to the agency"),  # 移交执法机关
        ("transfers to the agency", "case transferred to the agency"),
        ("case officer", "officer concerned"),  # 被调查人
        ("case officer", "officers concerned"),
        ("organizer", "organizer unit"),  # 承办单位
        ("host unit", "host unit"),
        ("search", "search"),
        ("date", "date"),
        ("supervision case", "supervision cases"),
        ("discipline inspection counterpart", "discipline inspection organ"),
    ]
}

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _norm(english: str) -> str:
    """The words of an English label, lower-case, singular, no parenthesis."""
    text = re.sub(r"\([^)]*\)", " ", english.lower())
    words = []
    for word in re.findall(r"[a-z0-9']+", text):
        if word.endswith("ies"):
            word = word[:-3] + "y"
        elif re.search(r"(ss|x|ch|sh)es$", word):
            word = word[:-2]
        elif word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.append(word)
    return " ".join(words)


def _same_term(a: str, b: str) -> bool:
    na, nb = _norm(a), _norm(b)
    return na == nb or frozenset({a.lower(), b.lower()}) in SYNONYMS


def fuzzy_entries(po_text: str) -> list[str]:
    """The msgids of entries flagged fuzzy."""
    found = []
    for block in re.split(r"\n\s*\n", po_text):
        flags = [
            flag.strip()
            for line in block.splitlines()
            if line.startswith("#,")
            for flag in line[2:].split(",")
        ]
        if "fuzzy" in flags:
            match = re.search(r'^msgid "(.*)"', block, re.M)
            found.append(match.group(1) if match else block[:60])
    return found


def placeholder_mismatches(po_text: str) -> list[str]:
    """Translations that drop, add or rename a format placeholder.

    A plural message is translated by one form (zh: nplurals=1), which must
    use only placeholders of the English forms and all those both forms share.
    """
    problems = []
    for key, value in parse_po(po_text).items():
        if not key:
            continue
        english = key.split("\x00")
        forms = value.split("\x00")
        wanted = [sorted(PLACEHOLDER.findall(e.replace("%%", ""))) for e in english]
        for form in forms:
            got = sorted(PLACEHOLDER.findall(form.replace("%%", "")))
            if len(english) == 1:
                ok = got == wanted[0]
            else:
                union = set(wanted[0]) | set(wanted[1])
                shared = set(wanted[0]) & set(wanted[1])
                ok = shared <= set(got) <= union
            if not ok:
                problems.append(f"{english[0]!r}: {form!r}")
    return problems


def merged_translations(po_texts: list[str]) -> dict[str, str]:
    """msgid -> msgstr of singular messages, the first catalogue winning
    (LOCALE_PATHS, i.e. locale/, comes first, as Django looks it up)."""
    merged: dict[str, str] = {}
    for text in po_texts:
        for key, value in parse_po(text).items():
            if key and "\x00" not in key and "\x04" not in key:
                merged.setdefault(key, value)
    return merged


def label_problems(labels, translations: dict[str, str]) -> list[str]:
    """``labels``: (model, field name or None for the model's own, English).

    Returns fields of one model sharing a Chinese label, and labels whose
    Chinese is the translation of an unrelated English message."""
    by_chinese = defaultdict(set)
    for msgid, msgstr in translations.items():
        by_chinese[msgstr].add(msgid)
    problems = []
    seen_in_model: dict[tuple[str, str], tuple[str, str]] = {}
    for model, field, english in labels:
        chinese = translations.get(english)
        if chinese is None:
            problems.append(f"{model}.{field}: {english!r} has no translation")
            continue
        if field is not None:
            earlier = seen_in_model.setdefault((model, chinese), (field, english))
            if earlier[0] != field:
                problems.append(
                    f"{model}: fields {earlier[0]} ({earlier[1]!r}) and {field} "
                    f"({english!r}) both read {chinese}"
                )
        for other in sorted(by_chinese[chinese]):
            if not _same_term(english, other):
                problems.append(
                    f"{model}.{field or '(model)'}: {english!r} reads {chinese}, "
                    f"the translation of {other!r}"
                )
    return sorted(set(problems))


def _project_models():
    for config in apps.get_app_configs():
        if Path(config.path).parent != ROOT:
            continue
        for model in config.get_models():
            if not model._meta.object_name.startswith("Historical"):
                yield model


def _project_module(module: str) -> bool:
    top = module.split(".")[0]
    return (ROOT / top).is_dir() and not (ROOT / top).is_symlink()


def _declaring_class(model, name):
    """The most basic model class whose own fields include ``name``."""
    for cls in reversed(model.__mro__):
        meta = getattr(cls, "_meta", None)
        if meta is not None and any(
            f.name == name for f in [*meta.local_fields, *meta.local_many_to_many]
        ):
            return cls
    return model


def _own_fields(model):
    """Fields the project declares (not those of Wagtail's Page or tasks)."""
    for field in model._meta.get_fields():
        if field.auto_created and not field.concrete:
            continue
        if _project_module(_declaring_class(model, field.name).__module__):
            yield field


def project_labels():
    """(model, field, English) of every gettext-wrapped label of the project."""
    labels = []
    with translation.override("en"):
        for model in _project_models():
            name = model._meta.label
            for attr in ("verbose_name", "verbose_name_plural"):
                value = getattr(model._meta, attr)
                # Django's own plural ("…s") of a Chinese name is no message.
                if attr in model._meta.original_attrs and isinstance(value, Promise):
                    labels.append((name, None, str(value)))
            for field in _own_fields(model):
                if isinstance(field.verbose_name, Promise):
                    labels.append((name, field.name, str(field.verbose_name)))
    return labels


def _catalogue_texts() -> list[str]:
    ordered = [MAIN_CATALOGUE] + [
        po
        for po in PROJECT_CATALOGUES
        if po != MAIN_CATALOGUE and po.name == "django.po"
    ]
    return [po.read_text(encoding="utf-8") for po in ordered]


@pytest.mark.parametrize(
    "po", PROJECT_CATALOGUES, ids=lambda po: str(po.relative_to(ROOT))
)
def test_no_fuzzy_entry(po):
    assert fuzzy_entries(po.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "po", PROJECT_CATALOGUES, ids=lambda po: str(po.relative_to(ROOT))
)
def test_translations_keep_their_placeholders(po):
    assert placeholder_mismatches(po.read_text(encoding="utf-8")) == []


def test_model_labels_are_distinct_and_say_what_the_english_says():
    labels = project_labels()
    assert len(labels) > 200
    assert label_problems(labels, merged_translations(_catalogue_texts())) == []


def test_model_labels_are_chinese_at_run_time():
    """Every gettext-wrapped model and field label reads in Chinese, and as
    the catalogue text says (so the checks above see what users see)."""
    texts = _catalogue_texts()
    expected = merged_translations(texts)
    # pgettext_lazy labels are looked up as "context\x04msgid".
    contextual = {}
    for text in texts:
        for key, value in parse_po(text).items():
            if "\x04" in key:
                contextual.setdefault(key, value)
    wrong = []
    with translation.override("zh-hans"):
        for model in _project_models():
            for field in _own_fields(model):
                if not isinstance(field.verbose_name, Promise):
                    continue
                shown = str(field.verbose_name)
                with translation.override("en"):
                    english = str(field.verbose_name)
                args = getattr(field.verbose_name, "_args", ())
                if len(args) == 2:
                    want = contextual.get("\x04".join(args))
                else:
                    want = expected.get(english)
                if not CJK.search(shown) or shown != want:
                    wrong.append(f"{model._meta.label}.{field.name}: {shown}")
    assert wrong == []


def test_the_checks_catch_a_bad_fuzzy_match():
    """The old catalogue's kind of error fails the checks above."""
    bad = (
        'msgid ""\nmsgstr ""\n\n'
        "#: casework/models/case.py:163\n#, fuzzy\n"
        'msgid "joint investigation since"\nmsgstr "主导航"\n\n'
        "#: templates/includes/header.html:27\n"
        'msgid "Main navigation"\nmsgstr "主导航"\n\n'
        'msgid "decided by"\nmsgstr "决定日期"\n\n'
        'msgid "decided at"\nmsgstr "决定日期"\n\n'
        '#, python-format\nmsgid "Sign in to %(name)s"\nmsgstr "登录"\n'
    )
    assert fuzzy_entries(bad) == ["joint investigation since"]
    assert placeholder_mismatches(bad) == ["'Sign in to %(name)s': '登录'"]
    unfuzzied = bad.replace("#, fuzzy\n", "")
    problems = label_problems(
        [
            ("casework.SupervisionCase", "joint_since", "joint investigation since"),
            ("casework.Extension", "decided_by", "decided by"),
            ("casework.Extension", "decided_at", "decided at"),
        ],
        merged_translations([unfuzzied]),
    )
    assert any("'Main navigation'" in p for p in problems)
    assert any("fields decided_by" in p for p in problems)
