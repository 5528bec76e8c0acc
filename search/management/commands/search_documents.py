"""Manage the Elasticsearch document indexes plugins register
(``register_search_documents``): list, create, delete, rebuild."""

from django.core.management.base import BaseCommand, CommandError

from search import documents


class Command(BaseCommand):
    help = (
        "Create, delete or rebuild (bulk reindex) the Elasticsearch document indexes."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "create", "delete", "rebuild"])
        parser.add_argument(
            "--model",
            help="only the document of this model (app_label.model_name)",
        )

    def handle(self, *args, action, model=None, **options):
        selected = documents.registered_documents()
        if model:
            selected = [
                d for d in selected if d.model._meta.label_lower == model.lower()
            ]
            if not selected:
                raise CommandError(f"No search document is registered for {model}.")
        if action == "list":
            for document in selected:
                self.stdout.write(
                    f"{document.model._meta.label_lower}\t{document._index._name}"
                )
            return
        if not documents.is_configured():
            raise CommandError(
                "ELASTICSEARCH_URL is not set: there is no index to manage."
            )
        for document in selected:
            name = document._index._name
            if action == "create":
                documents.create_index(document)
                self.stdout.write(f"Created {name}")
            elif action == "delete":
                documents.delete_index(document)
                self.stdout.write(f"Deleted {name}")
            else:
                self.stdout.write(f"Rebuilding {name}")
                count = documents.rebuild(document, stdout=self.stdout)
                self.stdout.write(self.style.SUCCESS(f"Indexed {count} into {name}"))
