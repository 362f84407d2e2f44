"""The Atom feed of new disclosures (/public/feed.atom): it parses, it carries the sample's
published results, penalties, assessment results, notices, listings and batches, each
with a stable id and a public link, and it answers a second reader with 304."""

import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import resolve, reverse

from ecogov.assess.sample import assess_sample_load
from ecogov.cases.models import Reporter
from ecogov.cases.sample import cases_sample_load
from ecogov.disclosure import feeds
from ecogov.enterprises.sample import enterprises_sample_load
from ecogov.patrols.sample import patrols_sample_load
from ecogov.rectification.sample import rectification_sample_load
from ecogov.sanctions.sample import sanctions_sample_load
from ecogov.sources.sample import sources_sample_load
from ecogov.supervision.sample import supervision_sample_load

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_feed_lists_the_new_disclosures_of_the_sample(personas):
    district = personas.district
    for load in (sources_sample_load, patrols_sample_load, cases_sample_load,
                 supervision_sample_load, rectification_sample_load, sanctions_sample_load,
                 enterprises_sample_load, assess_sample_load):  # fmt: skip
        load(district)
    client = Client()
    response = client.get(reverse("disclosure:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert entries
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(ids) == len(set(ids))
    kinds = {guid.split(":")[2] for guid in ids}
    assert {"case", "penalty", "notice", "listing", "rectification"} <= kinds, kinds
    for entry in entries:
        assert entry.findtext(f"{ATOM}title") and entry.findtext(f"{ATOM}updated")
        href = entry.find(f"{ATOM}link").get("href")
        path = href.split("testserver", 1)[1].split("?")[0].split("#")[0]
        resolve(path)  # a public page of EcoGov
        assert client.get(path).status_code == 200, path
    text = response.content.decode()
    for name, phone in Reporter.objects.exclude(name="").values_list("name", "phone"):
        assert name not in text and (not phone or phone not in text)
    assert personas.dora.name not in text
    # The same feed again: not modified.
    again = client.get(reverse("disclosure:feed"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_another_kind_of_disclosure_joins_the_feed(db, monkeypatch):
    import datetime

    from django.utils import timezone

    entry = feeds.Entry("consultation", 7, "征求意见：某规划草案", timezone.now()
                        - datetime.timedelta(hours=1), "/public/")  # fmt: skip
    monkeypatch.setattr(feeds, "_SOURCES", [*feeds._SOURCES])
    feeds.feed_source(lambda: [entry], lambda: 1)
    root = ET.fromstring(Client().get(reverse("disclosure:feed")).content)
    ids = [item.findtext(f"{ATOM}id") for item in root.findall(f"{ATOM}entry")]
    assert ids == ["urn:ecogov:consultation:7"]
