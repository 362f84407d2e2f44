from django import forms
from django.utils.translation import gettext_lazy as _

from ecogov import uploads
from ecogov.domain.textfile import UnreadableFile
from ecogov.plans.documents import document_text
from ecogov.plans.models import TaskReport

# The text of one plan held between the preview and the import (a 300-page plan is
# about 600,000 characters).
MAX_PLAN_CHARS = 1_000_000


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


class PlanDocumentForm(forms.Form):
    """A plan document to read: text, Word (.docx) or a text PDF, by its bytes."""

    file = forms.FileField(
        label=_("Plan document"),
        help_text=_("a .docx, a text PDF or a .txt; at most 8 MB"),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.txt"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > uploads.MAX_FILE_BYTES:
            raise forms.ValidationError(_("A file may be at most 8 MB."))
        try:
            self.text = document_text(upload.read(), name=upload.name[:200])
        except UnreadableFile as error:
            raise forms.ValidationError(str(error)) from None
        if len(self.text) > MAX_PLAN_CHARS:
            raise forms.ValidationError(
                _("The document holds more than %(n)d characters: is it one plan?")
                % {"n": MAX_PLAN_CHARS}
            )
        return upload
