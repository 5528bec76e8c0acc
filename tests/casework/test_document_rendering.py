"""The generated .docx as a word processor lays it out (LibreOffice).

GB/T 9704-2012 7.3.5: the office's name, the date and the seal stand on a
page with text, never alone. Each kind — decision notice, opinion letter,
periodic report — is rendered in 23 lengths, one line longer each (a full
page of offsets, so one of them would break just before the signature area
if it were not kept with the body), and every last page must hold body text
besides the office's name and the date.

One LibreOffice run per kind (it is slow); skipped, with the reason, where
``soffice`` or poppler's ``pdftotext`` is missing (Debian:
``apt-get install libreoffice-writer-nogui poppler-utils``). The last pages
of the shortest and longest variant are saved as PNG under test-artifacts/.
"""

import datetime
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone

from casework import documents, reports
from casework.models import CaseDocument, PeriodicReport, SupervisionCase

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
PDFTOPPM = shutil.which("pdftoppm")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "documents"

pytestmark = pytest.mark.skipif(
    not (SOFFICE and PDFTOTEXT),
    reason="LibreOffice or pdftotext missing: apt-get install "
    "libreoffice-writer-nogui poppler-utils",
)

VARIANTS = range(23)  # a page of 三号 lines on a fixed 28 pt line is 22.75
LINE = "某" * 27  # one full line of 三号 on the 15.6 cm type area
ISSUED_ON = datetime.date(2025, 9, 30)


@pytest.fixture(scope="module")
def renderer(tmp_path_factory):
    """Render a batch of .docx in one LibreOffice run; the text of each
    page of each result."""
    root = tmp_path_factory.mktemp("rendering")
    profile = root / "profile"  # its own profile: runs never share one

    def render(kind: str, files: dict[str, bytes]) -> dict[str, list[str]]:
        folder = root / kind
        folder.mkdir()
        paths = []
        for name, content in files.items():
            path = folder / f"{name}.docx"
            path.write_bytes(content)
            paths.append(str(path))
        subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                *paths,
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        pages = {}
        for name in files:
            pdf = folder / f"{name}.pdf"
            text = subprocess.run(
                [PDFTOTEXT, str(pdf), "-"],
                check=True,
                capture_output=True,
                text=True,
                timeout=60,
            ).stdout
            pages[name] = [page for page in text.split("\f") if page.strip()]
            if PDFTOPPM and name in (f"{kind}-0", f"{kind}-{max(VARIANTS)}"):
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                last = len(pages[name])
                subprocess.run(
                    [
                        PDFTOPPM,
                        "-png",
                        "-r",
                        "60",
                        "-f",
                        str(last - 1 if last > 1 else 1),
                        "-l",
                        str(last),
                        str(pdf),
                        str(ARTIFACTS / name),
                    ],
                    check=True,
                    timeout=60,
                )
        return pages

    return render


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def body_lines(page: str, date: datetime.date) -> list[str]:
    """The page's lines other than the signature area and the page number."""
    skip = {squeeze(documents.ISSUER), squeeze(documents.chinese_date(date))}
    lines = [squeeze(line) for line in page.splitlines()]
    return [
        line
        for line in lines
        if line and line not in skip and not re.fullmatch(r"—?\d+—?", line)
    ]


def assert_signature_kept_with_text(pages: dict[str, list[str]], date):
    counts = {}
    for name, texts in pages.items():
        last = texts[-1]
        counts[name] = len(texts)
        assert squeeze(documents.ISSUER) in squeeze(last), name
        assert squeeze(documents.chinese_date(date)) in squeeze(last), name
        assert body_lines(last, date), f"{name}: the last page has no text"
    # The variants span pages, so some signature area did meet a page break.
    assert len(set(counts.values())) >= 2, counts


def case_variants(case: SupervisionCase, kind: str) -> dict[str, bytes]:
    files = {}
    summary = case.summary
    for extra in VARIANTS:
        case.summary = summary + LINE * extra
        files[f"{kind}-{extra}"] = documents.render_docx(
            documents.build_document(
                case,
                kind,
                number=documents.document_number(kind, 2025, 1),
                issued_on=ISSUED_ON,
            )
        )
    return files


def test_decision_notice_keeps_signature_and_date_with_text(renderer, notified_case):
    case = SupervisionCase.objects.get(pk=notified_case.pk)
    pages = renderer(
        "decision_notice", case_variants(case, CaseDocument.Kind.DECISION_NOTICE)
    )
    assert_signature_kept_with_text(pages, ISSUED_ON)


def test_opinion_letter_keeps_signature_and_date_with_text(
    renderer, notified_case, investigator
):
    from casework import services

    services.record_act_finding(
        notified_case,
        user=investigator,
        finding="unlawful",
        reasons="未履行处罚告知程序即作出处罚决定。",
        found_on=services.today(),
    )
    case = SupervisionCase.objects.get(pk=notified_case.pk)
    pages = renderer(
        "opinion_letter", case_variants(case, CaseDocument.Kind.OPINION_LETTER)
    )
    assert_signature_kept_with_text(pages, ISSUED_ON)


def test_periodic_report_keeps_signature_and_date_with_text(
    renderer, notified_case, monkeypatch
):
    start, end = reports.period_bounds("quarter", 2025, 3)
    generated_at = timezone.now()
    files = {}
    for extra in VARIANTS:
        # Each variant one table row (one 28 pt line) longer.
        rows = [(f"其他工作事项{n + 1}", n) for n in range(extra)]
        monkeypatch.setattr(
            reports, "figure_hooks", lambda rows=rows: [lambda s, e: rows]
        )
        report = PeriodicReport(
            kind="quarter",
            period_start=start,
            period_end=end,
            figures=reports.collect_figures(start, end),
        )
        report.generated_at = generated_at
        files[f"periodic_report-{extra}"] = reports.render_docx(report)
    pages = renderer("periodic_report", files)
    assert_signature_kept_with_text(pages, timezone.localtime(generated_at).date())
