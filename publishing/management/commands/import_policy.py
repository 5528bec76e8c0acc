from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Page

from publishing.services import PublishingError, import_policy_text


class Command(BaseCommand):
    help = (
        "Publish a measure's plain text (第X章 / 第X条 / （一） structure) as a "
        "policy document page with one anchored article per 条, and print its URL. "
        "Importing the same document again updates it only if its text changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="UTF-8 (or GB18030) plain-text file")
        parser.add_argument(
            "--parent", type=int, help="id of the index page to put it under"
        )
        parser.add_argument(
            "--issuing-body", default="", help="when the text does not name it"
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise CommandError("无法识别文件编码（应为 UTF-8 或 GB18030）。")
        parent = None
        if options["parent"]:
            parent = Page.objects.filter(pk=options["parent"]).first()
            if parent is None:
                raise CommandError(f"没有 id 为 {options['parent']} 的页面。")
        try:
            result = import_policy_text(
                text, parent=parent, issuing_body=options["issuing_body"]
            )
        except PublishingError as exc:
            raise CommandError(str(exc)) from exc
        page = result.page
        state = (
            "created"
            if result.created
            else ("updated" if result.changed else "unchanged")
        )
        self.stderr.write(
            f"{state}: {page.title} ({page.document_number or '无文号'}), "
            f"{page.articles.count()} articles"
        )
        self.stdout.write(page.full_url or page.url or f"/{page.url_path}")
