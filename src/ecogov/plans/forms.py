from django import forms
from django.utils.translation import gettext_lazy as _

from ecogov.plans.models import TaskReport


class ReportForm(forms.ModelForm):
    period = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )

    class Meta:
        model = TaskReport
        fields = ("unit", "period", "text", "percent", "milestone")
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = None


class CompleteForm(forms.Form):
    evidence = forms.CharField(
        label=_("Evidence of completion"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("e.g. the acceptance document, its number and date"),
    )


class TargetValueForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.DecimalField(label=_("Value"), max_digits=20, decimal_places=6)
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=200,
        help_text=_("e.g. the statistical bulletin"),
    )
