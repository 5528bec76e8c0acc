"""Forms of the oversight screens: reports on demand, risk point follow-up."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from casework.models import Agency, PeriodicReport
from casework.reports import POLICY_IN_FORCE


class ReportForm(forms.Form):
    """Which period to report on (Art. 19 para. 2)."""

    kind = forms.ChoiceField(label="报告周期", choices=PeriodicReport.Kind.choices)
    year = forms.IntegerField(label="年度")
    index = forms.IntegerField(
        label="月份或季度",
        required=False,
        help_text="月度报告填1至12，季度报告填1至4，年度报告不填。",
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
            self.add_error("index", "请填写月份或季度。")
        elif kind == PeriodicReport.Kind.MONTH and not 1 <= index <= 12:
            self.add_error("index", "月份应为1至12。")
        elif kind == PeriodicReport.Kind.QUARTER and not 1 <= index <= 4:
            self.add_error("index", "季度应为1至4。")
        return data


class RiskAnalysisForm(forms.Form):
    analysis = forms.CharField(
        label="成因分析（问题症结）",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )


class RiskWarningForm(forms.Form):
    """A warning (警示提醒) to the agencies concerned (Art. 21)."""

    agencies = forms.ModelMultipleChoiceField(
        label="接收警示提醒的执法机关",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请选择接收警示提醒的执法机关。"},
    )
    content = forms.CharField(
        label="警示内容（易错风险点和问题症结）",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    requirements = forms.CharField(
        label="整改要求",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    deadline = forms.DateField(
        label="报告整改情况期限",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "请输入有效日期，例如2026-12-31。"},
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
        label="采取的整改措施",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
