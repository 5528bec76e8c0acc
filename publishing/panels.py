"""Admin panels of the publishing plugin."""

from wagtail.admin.panels import Panel


class LeakReportPanel(Panel):
    """Shows the editor what in a clarification notice still identifies
    someone, span by span, each time the page is edited (Art. 22)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "publishing/admin/leak_report_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            found = page.leaks() if page is not None else {}
            rows = []
            for field, spans in found.items():
                value = getattr(page, field, "") or ""
                for leak in spans:
                    rows.append(
                        {
                            "field": page._meta.get_field(field).verbose_name,
                            "label": leak.label,
                            "text": leak.text,
                            "before": value[max(0, leak.start - 12) : leak.start],
                            "after": value[leak.end : leak.end + 12],
                        }
                    )
            context["leak_rows"] = rows
            return context
