"""``get_FOO_display`` through ``ecogov.labels.ChoiceLabels`` gives what Django's gives, in
the reader's language."""

import pytest
from django.db import models
from django.utils import translation

from ecogov.cases.models import Case, Category, State
from ecogov.labels import ChoiceLabels
from ecogov.supervision.models import Item


class Plain(models.Model):  # Django's own get_FOO_display, to compare with
    state = models.CharField(max_length=20, choices=State.choices)
    category = models.CharField(max_length=40, choices=Category.choices)

    class Meta:
        app_label = "cases"
        managed = False

    def __str__(self):
        return self.state


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_labels_are_djangos_in_the_readers_language(language):
    assert issubclass(Case, ChoiceLabels) and issubclass(Item, ChoiceLabels)
    with translation.override(language):
        for state in State.values:
            for category in Category.values:
                ours = Case(state=state, category=category)
                theirs = Plain(state=state, category=category)
                assert ours.get_state_display() == theirs.get_state_display()
                assert ours.get_category_display() == theirs.get_category_display()
    with translation.override("zh-hans"):
        assert Case(state=State.CLOSED).get_state_display() != "closed"  # translated


def test_a_value_without_a_label_is_shown_as_it_is():
    assert Case(state="no-such-state").get_state_display() == "no-such-state"
