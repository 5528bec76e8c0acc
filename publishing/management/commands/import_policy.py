from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import Page

from publishing.importer import problem_message
from publishing.services import PublishingError, import_policy_text


class Command(BaseCommand):
    help = (
        "Publish a measure's plain text as a policy document page with one "
        "anchored article per 条, and print its URL. Any published form is read "
        "(印发通知, 政府令, 人大常委会公告, 决定, a bare 办法/规定/条例): the "
        "document number, issuing body and dates come from the text. Where a "
        "field cannot be found, the page is saved as a draft naming it, and the "
        "URL printed is the editor's. Importing the same document again updates "
        "it only if its text changed."
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
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise CommandError(
                _(
                    "The encoding of the file was not recognised (it should be UTF-8 "
                    "or GB18030)."
                )
            )
        parent = None
        if options["parent"]:
            parent = Page.objects.filter(pk=options["parent"]).first()
            if parent is None:
                raise CommandError(
                    _("There is no page with id %(id)s.") % {"id": options["parent"]}
                )
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
        no_number = _("no document number")
        self.stderr.write(
            f"{state}: {page.title} ({page.document_number or no_number}), "
            f"{page.articles.count()} articles"
        )
        if result.problems:
            self.stderr.write(
                _(
                    "Saved as a draft, not published: complete these fields in the "
                    "admin and publish it."
                )
            )
            for problem in result.problems:
                self.stderr.write(f"- {problem_message(problem)}")
            self.stdout.write(reverse("wagtailadmin_pages:edit", args=[page.pk]))
            return
        self.stdout.write(page.full_url or page.url or f"/{page.url_path}")
