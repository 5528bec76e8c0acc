"""Admin panels of the publishing plugin."""

from wagtail.admin.panels import Panel

from publishing.anonymize import notice_leaks


class LeakReportPanel(Panel):
    """Shows the editor what in a clarification notice still identifies
    someone, span by span, each time the page is edited (Art. 22).

    It reads what the publishing gate reads: the text just submitted when
    the editor's form was sent (publishing.forms records it as
    ``examined``), the saved page otherwise; and it decides with the gate's
    function, ``publishing.anonymize.notice_leaks``."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "publishing/admin/leak_report_panel.html"

        def examined(self):
            form = self.form
            submitted = getattr(form, "examined", None) if form is not None else None
            if submitted is not None:
                return submitted
            page = self.instance
            if page is None:
                return {}, ""
            return {"title": page.title, "body": page.body}, page.party_names

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            values, party_names = self.examined()
            page = self.instance
            rows = []
            for field, spans in notice_leaks(values, party_names).items():
                value = values.get(field) or ""
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
