import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

from portal.i18n_compile import catalogues, parse_po, write_mo

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"


@pytest.mark.parametrize(
    "po", catalogues(ROOT), ids=lambda po: str(po.relative_to(ROOT))
)
def test_every_message_is_translated(po):
    """The project catalogue and every plugin's own are complete."""
    text = po.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    assert text.count('msgstr ""\n\n') == 0, "an untranslated message"
    assert len(parse_po(text)) > 5


def test_pure_python_compiler_matches_msgfmt(tmp_path):
    ours = tmp_path / "ours.mo"
    write_mo(parse_po(PO.read_text(encoding="utf-8")), ours)
    catalogue = gettext.GNUTranslations(ours.open("rb"))
    assert catalogue.gettext("Skip to main content") == "跳到主要内容"
    assert catalogue.ngettext(
        "%(counter)s result for “%(search_query)s”",
        "%(counter)s results for “%(search_query)s”",
        3,
    ).startswith("“%(search_query)s”共找到")
    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext is not installed: only our compiler checked")
    theirs = tmp_path / "theirs.mo"
    subprocess.run(["msgfmt", "-o", str(theirs), str(PO)], check=True)
    reference = gettext.GNUTranslations(theirs.open("rb"))
    # msgfmt rewrites the header entry (""); every real message must agree.
    ours_messages = {k: v for k, v in catalogue._catalog.items() if k}
    their_messages = {k: v for k, v in reference._catalog.items() if k}
    assert ours_messages == their_messages


def test_django_serves_the_chinese_catalogue():
    with translation.override("zh-hans"):
        assert translation.gettext("Elder-friendly mode") == "长者模式"
    with translation.override("en"):
        assert translation.gettext("Elder-friendly mode") == "Elder-friendly mode"
