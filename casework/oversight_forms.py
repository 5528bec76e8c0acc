"""Forms of the oversight screens: reports on demand, risk point follow-up."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework.models import Agency, PeriodicReport
from casework.reports import POLICY_IN_FORCE


class ReportForm(forms.Form):
    """Which period to report on (Art. 19 para. 2)."""

    kind = forms.ChoiceField(
        label=_("period kind"), choices=PeriodicReport.Kind.choices
    )
    year = forms.IntegerField(label=_("year"))
    index = forms.IntegerField(
        label=_("month or quarter"),
        required=False,
        help_text=_(
            "1 to 12 for a monthly report, 1 to 4 for a quarterly one, "
            "empty for an annual one."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].min_value = POLICY_IN_FORCE.year
        self.fields["year"].max_value = today.year
        self.fields["year"].widget.attrs.update(
            min=POLICY_IN_FORCE.year, max=today.year
        )

    def clean(self):
        data = super().clean()
        kind, year, index = data.get("kind"), data.get("year"), data.get("index")
        if kind is None or year is None:
            return data
        if kind == PeriodicReport.Kind.YEAR:
            data["index"] = 1
        elif index is None:
            self.add_error("index", gettext("Enter the month or quarter."))
        elif kind == PeriodicReport.Kind.MONTH and not 1 <= index <= 12:
            self.add_error("index", gettext("The month must be 1 to 12."))
        elif kind == PeriodicReport.Kind.QUARTER and not 1 <= index <= 4:
            self.add_error("index", gettext("The quarter must be 1 to 4."))
        return data


class RiskAnalysisForm(forms.Form):
    analysis = forms.CharField(
        label=_("analysis of the root cause"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )


class RiskWarningForm(forms.Form):
    """A warning (警示提醒) to the agencies concerned (Art. 21)."""

    agencies = forms.ModelMultipleChoiceField(
        label=_("agencies to warn"),
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the agencies to receive the warning.")},
    )
    content = forms.CharField(
        label=_("warning (risk and root cause)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    requirements = forms.CharField(
        label=_("requirements"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    deadline = forms.DateField(
        label=_("deadline for the report"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a valid date, e.g. 2026-12-31.")},
    )

    def __init__(self, *args, point, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(is_active=True)
        self.fields["agencies"].queryset = agencies
        if point.agency_id:
            self.fields["agencies"].initial = [point.agency_id]
        else:
            self.fields["agencies"].initial = list(
                point.cases.values_list("agency_id", flat=True).distinct()
            )


class RiskReportForm(forms.Form):
    report = forms.CharField(
        label=_("measures taken"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
