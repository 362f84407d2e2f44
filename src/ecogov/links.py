"""Links to records from long lists."""

from collections.abc import Callable

from django.urls import reverse


def detail_url(name: str) -> Callable[[int], str]:
    """The address of a record's page by its id, for a URL pattern that ends in
    ``<int:pk>/``: reversed once for a whole list, not once for each of its hundreds of
    rows."""
    prefix = reverse(name, args=[0]).removesuffix("0/")
    return lambda pk: f"{prefix}{pk}/"
