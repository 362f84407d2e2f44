"""Choice labels for long lists.

Django's ``get_FOO_display`` builds a dict of the field's choices on every call, hashing
each label; a translated (lazy) label is translated to be hashed. A page of 50 cases
showing their state, category and channel translated some 9,000 strings for that and
spent a third of its time there. ``ChoiceLabels`` looks the label up in a dict made once
per field, whose labels stay lazy (translated when shown, in the reader's language).
"""

from functools import cache

from django.utils.encoding import force_str


@cache
def _labels(field) -> dict:
    return dict(field.flatchoices)


class ChoiceLabels:
    """A model mixin (before ``models.Model``): the same ``get_FOO_display``, faster."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        try:
            label = _labels(field).get(value, value)
        except TypeError:  # an unhashable value (a list) has no label
            label = value
        return force_str(label, strings_only=True)
