"""The Atom feed of new disclosures (/public/feed.atom): published results of reports,
penalty decisions, published assessment and credit results, criticism notices,
blacklist listings and published rectification batches, newest first.

Each kind is a *feed source*: a function giving ``Entry`` values (the newest ``LIMIT``)
and one giving a cheap version marker; another app adds its own with ``feed_source``
(the consultations will). An entry carries a stable id (``urn:ecogov:<kind>:<id>``), a
title, its time and the link to its public page: nothing internal.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from ecogov.disclosure.datasets import marker
from ecogov.disclosure.freshness import public_page

LIMIT = 30


@dataclass(frozen=True)
class Entry:
    kind: str
    pk: object
    title: str
    updated: datetime.datetime
    link: str
    summary: str = ""

    @property
    def guid(self) -> str:
        return f"urn:ecogov:{self.kind}:{self.pk}"


_SOURCES: list[tuple[Callable, Callable]] = []


def feed_source(entries: Callable[[], list[Entry]], version: Callable[[], object]):
    """Add a kind of disclosure to the feed."""
    _SOURCES.append((entries, version))


def _moment(day) -> datetime.datetime | None:
    if day is None:
        return None
    if isinstance(day, datetime.datetime):
        return day
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _disclosed():
    from ecogov.disclosure.data_views import disclosed_cases

    return [
        Entry("case", case.number,
              _("Result published: %(number)s, %(kind)s") % {
                  "number": case.number, "kind": case.get_category_display()},
              case.disclosed_at, reverse("public_disclosed_case", args=[case.number]),
              case.public_summary)
        for case in disclosed_cases().order_by("-disclosed_at", "-pk")[:LIMIT]
    ]  # fmt: skip


def _disclosed_version():
    from ecogov.disclosure.data_views import disclosed_cases

    return marker(disclosed_cases(), "disclosed_at")


def _penalties():
    from ecogov.disclosure.data_views import penalty_cases

    entries = []
    for case in penalty_cases().exclude(closed_at=None)[:LIMIT]:
        party = case.source.name if case.source_id else ""
        title = _("Penalty decision %(number)s") % {"number": case.decision_number}
        day = timezone.localdate(case.closed_at)
        link = reverse("disclosure:penalties") + f"?year={day.year}"
        entries.append(Entry("penalty", case.pk, f"{title} {party}".strip(), case.closed_at,
                             link, case.get_category_display()))  # fmt: skip
    return entries


def _penalties_version():
    from ecogov.disclosure.data_views import penalty_cases

    return marker(penalty_cases(), "closed_at")


def _assessments():
    from ecogov.assess.views import _published

    return [
        Entry("assessment", assessment.pk,
              _("Results published: %(scheme)s %(period)s") % {
                  "scheme": assessment.scheme.name, "period": assessment.period},
              assessment.published_at, reverse("public_assessment", args=[assessment.pk]),
              assessment.notice_number)
        for assessment in _published().exclude(published_at=None)
        .order_by("-published_at", "-pk")[:LIMIT]
    ]  # fmt: skip


def _assessments_version():
    from ecogov.assess.views import _published

    return marker(_published(), "published_at")


def _notices():
    from ecogov.sanctions.public_views import _public

    return [
        Entry("notice", notice.pk, notice.title, _moment(notice.issued_on),
              reverse("public_notice", args=[notice.pk]), notice.number)
        for notice in _public().exclude(issued_on=None)[:LIMIT]
    ]  # fmt: skip


def _notices_version():
    from ecogov.sanctions.models import CriticismNotice

    return marker(CriticismNotice.public_objects.all(), "issued_on", "created_at")


def _listings():
    from ecogov.enterprises.services import public_listings

    return [
        Entry("listing", listing.pk,
              _("Blacklisted: %(name)s") % {"name": listing.name}, listing.created_at,
              reverse("public_blacklist"), listing.decision_number)
        for listing in public_listings().order_by("-created_at", "-pk")[:LIMIT]
    ]  # fmt: skip


def _listings_version():
    from ecogov.enterprises.services import public_listings

    return marker(public_listings(), "created_at")


def _batches():
    from ecogov.rectification.models import Batch

    batches = Batch.objects.filter(public=True).order_by("-created_at", "-pk")
    return [
        Entry("rectification", batch.pk,
              _("Inspection problems published: %(title)s") % {"title": batch.title},
              batch.created_at,
              reverse("public_rectification") + f"?district={batch.jurisdiction_id}")
        for batch in batches.only("pk", "title", "created_at", "jurisdiction_id")[:LIMIT]
    ]  # fmt: skip


def _batches_version():
    from ecogov.rectification.models import Batch

    return marker(Batch.objects.filter(public=True), "created_at")


def _consultations():
    from ecogov.consultations.public_views import public_consultations

    entries = []
    for consultation in public_consultations().order_by("-opens_on", "-pk")[:LIMIT]:
        link = reverse("public_consultations:detail", args=[consultation.pk])
        entries.append(Entry("consultation", consultation.pk,
                             _("Open for comment: %(title)s") % {"title": consultation.title},
                             _moment(consultation.opens_on), link, consultation.summary))  # fmt: skip
        if consultation.answered_at:
            entries.append(Entry("consultation-response", consultation.pk,
                                 _("Response to the comments: %(title)s")
                                 % {"title": consultation.title},
                                 consultation.answered_at, link, consultation.explanation))  # fmt: skip
    return entries


def _consultations_version():
    from ecogov.consultations.public_views import published_version

    return published_version()


for _pair in (
    (_disclosed, _disclosed_version),
    (_penalties, _penalties_version),
    (_assessments, _assessments_version),
    (_notices, _notices_version),
    (_listings, _listings_version),
    (_batches, _batches_version),
    (_consultations, _consultations_version),
):
    feed_source(*_pair)


def feed_entries() -> list[Entry]:
    entries = [entry for entries, _version in _SOURCES for entry in entries() if entry.updated]
    entries.sort(key=lambda entry: (entry.updated, entry.guid), reverse=True)
    return entries[: LIMIT * 2]


def feed_version(request=None, **kwargs):
    return tuple(version() for _entries, version in _SOURCES)


class DisclosureFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return _("EcoGov: new public disclosures")

    def subtitle(self):
        return _("Published results of reports, penalties, assessment and credit results, "
                 "criticism notices, the blacklist, rectification and public consultations.")  # fmt: skip

    def link(self):
        return reverse("disclosure:index")

    def feed_guid(self):
        return "urn:ecogov:disclosures"

    def items(self):
        return feed_entries()

    def item_title(self, item: Entry):
        return item.title

    def item_description(self, item: Entry):
        return item.summary

    def item_link(self, item: Entry):
        return item.link

    def item_guid(self, item: Entry):
        return item.guid

    def item_guid_is_permalink(self, item):
        return False

    def item_updateddate(self, item: Entry):
        return item.updated

    def item_pubdate(self, item: Entry):
        return item.updated


feed = public_page(version=feed_version)(DisclosureFeed())
