from django import forms
from django.utils.translation import gettext_lazy as _

from ecogov.org.models import Unit
from ecogov.org.services import UNIT_CONTACT_FIELDS


class UnitContactForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = UNIT_CONTACT_FIELDS


class DutyForm(forms.Form):
    text = forms.CharField(
        label=_("Duty clause"), min_length=2, widget=forms.Textarea(attrs={"rows": 3})
    )


class RenameForm(forms.Form):
    new_name = forms.CharField(label=_("New name"), min_length=2, max_length=100)
    until = forms.DateField(
        label=_("Old name used until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(
        label=_("Note (e.g. the document ordering the reform)"), required=False, max_length=200
    )


class AliasForm(forms.Form):
    name = forms.CharField(label=_("Another name"), min_length=2, max_length=100)
