"""What a public request can leave behind (rows and private files), for the
fuzz tests' before-and-after comparisons. A module of its own rather than
conftest.py: several test folders have a conftest, and ``from conftest import``
would pick whichever one pytest imported last."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def private_files() -> set[str]:
    """Every file under the private reporting root, relative paths."""
    root = Path(settings.REPORTING_PRIVATE_ROOT)
    if not root.exists():
        return set()
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def reporting_state() -> dict:
    """Row counts of everything a public request can write, and the files."""
    from reporting.models import Report, ReportAttachment, ReportMessage, StagedUpload

    return {
        "reports": Report.objects.count(),
        "attachments": ReportAttachment.objects.count(),
        "messages": ReportMessage.objects.count(),
        "staged": StagedUpload.objects.count(),
        "files": private_files(),
    }


def assert_files_match_rows() -> None:
    """Every stored file belongs to exactly one row and every row's file
    exists: nothing orphaned on disk, nothing pointing at nothing."""
    from reporting.models import ReportAttachment, StagedUpload

    named = [a.file.name for a in ReportAttachment.objects.all()]
    named += [s.file.name for s in StagedUpload.objects.all()]
    assert len(named) == len(set(named))
    assert set(named) == private_files()
