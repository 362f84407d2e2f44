from django import forms

from ecogov.org.models import Unit
from ecogov.org.services import UNIT_CONTACT_FIELDS


class UnitContactForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = UNIT_CONTACT_FIELDS
