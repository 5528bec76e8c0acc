"""Fill a fresh, migrated database for the backup round trip.

Run by test_backup_roundtrip.py in a subprocess, against the database and
file roots its environment names: the demo site (pages, cases, reports,
generated documents, the search index), plus a case attachment, a report with
an attachment, a Wagtail document and image, so every file root holds files
and every kind of table holds rows. Prints what it made as JSON.
"""

import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.images import ImageFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from PIL import Image as PILImage  # noqa: E402
from wagtail.documents.models import Document  # noqa: E402
from wagtail.images.models import Image  # noqa: E402

from casework import services  # noqa: E402
from reporting.models import Report  # noqa: E402
from reporting.services import submit_report  # noqa: E402
from reporting.uploads import CheckedFile  # noqa: E402
from tests.testkit.factories import SupervisionCaseFactory, SupervisionOfficerFactory  # noqa: E402


def main() -> None:
    call_command("load_demo", "--allow-production", verbosity=0)
    officer = SupervisionOfficerFactory(username="backup_drill_officer")
    case = SupervisionCaseFactory(title="备份恢复演练案件", filed_by=officer)
    # Every byte value, so no encoding step can go unnoticed.
    attachment = services.add_attachment(
        case,
        user=officer,
        title="询问笔录（演练）",
        file=ContentFile(bytes(range(256)) * 64, name="询问笔录.pdf"),
    )
    report, _code = submit_report(
        kind=Report.Kind.REAL_NAME,
        name="演练举报人",
        contact="13800000000",
        subject="备份恢复演练举报",
        description="用于验证备份与恢复的举报，附一份材料。",
        files=[
            CheckedFile(
                name="现场情况.pdf",
                content=b"%PDF-1.4\n% backup drill\n" + bytes(range(256)),
                content_type="application/pdf",
            )
        ],
    )
    document = Document.objects.create(
        title="备份演练文件", file=ContentFile("演练文本\n".encode(), name="drill.txt")
    )
    png = io.BytesIO()
    PILImage.new("RGB", (32, 24), (200, 30, 30)).save(png, format="PNG")
    image = Image.objects.create(
        title="备份演练图片", file=ImageFile(png, name="drill.png")
    )
    image.get_rendition("fill-16x16")  # a rendition file under MEDIA_ROOT too
    json.dump(
        {
            "case": case.pk,
            "attachment": attachment.file.name,
            "report": report.pk,
            "report_files": [a.file.name for a in report.attachments.all()],
            "document": document.file.name,
            "image": image.file.name,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
