from django import forms

from ecogov.accounts.models import User
from ecogov.accounts.services import PERSON_CONTACT_FIELDS


class PersonContactForm(forms.ModelForm):
    class Meta:
        model = User
        fields = PERSON_CONTACT_FIELDS
