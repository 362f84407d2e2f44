# ruff: noqa: F811  (the fixtures imported from test_browser are parameters here)
"""The portal in Chromium, on a desktop and on a 390 px phone: nothing wider than the
screen, a readable "use my position" button, and a map on which a citizen finds their
street without internet tiles. Uses the browser fixtures of test_browser.py."""

import pytest
from django.utils import timezone

from test_browser import browser, page_for, people, shot  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

# The contrast of the button's text on its background (WCAG 2.1 relative luminance).
CONTRAST = """(element) => {
  function rgb(text) { return text.match(/[\\d.]+/g).slice(0, 3).map(Number); }
  function luminance(c) {
    var v = c.map(function (x) { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
  }
  var background = "rgba(0, 0, 0, 0)", node = element;
  while (node && /rgba\\(0, 0, 0, 0\\)|transparent/.test(background)) {
    background = getComputedStyle(node).backgroundColor; node = node.parentElement;
  }
  var a = luminance(rgb(getComputedStyle(element).color)), b = luminance(rgb(background));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""

OVERFLOW = """() => {
  var wide = [];
  document.querySelectorAll("main table, main section.card").forEach(function (element) {
    var box = element.getBoundingClientRect(), holder = element.parentElement.getBoundingClientRect();
    if (box.right > window.innerWidth + 1 || element.scrollWidth > element.clientWidth + 1 || box.right > holder.right + 1) {
      wide.push(element.tagName + "." + element.className);
    }
  });
  return {page: document.documentElement.scrollWidth, screen: window.innerWidth, wide: wide};
}"""


def _public_urls(people) -> list[str]:
    from ecogov.cases import services
    from ecogov.cases.models import Case, Channel, State

    case = services.case_register(
        jurisdiction=people.district, channel=Channel.PUBLIC, address="城中区南滩街道某家属院后排洪渠",
        text="南滩街道一个家属院后面的排洪渠常年是黑水，一到夏天臭得受不了",
    )  # fmt: skip
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(state=State.CLOSED, disclosed_at=now, closed_at=now)
    return [
        "/public/report/", "/public/report/thanks/", "/public/track/",
        f"/public/track/{case.tracking_code}/", "/public/cases/", f"/public/cases/{case.number}/",
        "/public/rewards/", "/public/grids/", f"/public/grids/{people.grid.pk}/",
        "/public/grids/?lon=101.80&lat=36.60",
    ]  # fmt: skip


def test_no_public_page_is_wider_than_a_phone(people, page_for, live_server):
    phone = page_for(mobile=True)
    for url in _public_urls(people):
        phone.goto(f"{live_server.url}{url}")
        measured = phone.evaluate(OVERFLOW)
        assert measured["page"] <= measured["screen"] + 1, (url, measured)
        assert measured["wide"] == [], (url, measured)
    phone.goto(f"{live_server.url}/public/cases/")
    # Each published case is a card whose place reads on one or two lines, not in pairs of
    # characters down a narrow column.
    place = phone.locator("td[data-label='地点']").first
    assert place.bounding_box()["width"] > 200
    shot(phone, "portal-disclosed-phone-zh")


def test_the_use_my_position_button_is_readable(people, page_for, live_server):
    for mobile in (False, True):
        page = page_for(mobile=mobile)
        page.goto(f"{live_server.url}/public/report/")
        assert page.locator("#locate-me").evaluate(CONTRAST) >= 4.5


def test_a_citizen_finds_their_street_on_the_map_without_tiles(people, page_for, live_server):
    for mobile in (False, True):
        page = page_for(mobile=mobile)
        page.goto(f"{live_server.url}/public/report/")
        page.wait_for_selector("#report-map[data-ready=true]")
        names = page.locator(".grid-label").all_inner_texts()
        assert any("街道" in name for name in names), names  # streets are named at once
        page.fill("#place-search", "饮马街")
        page.locator("#place-results button.place", has_text="饮马街街道").first.click()
        box = page.locator("#report-map").bounding_box()
        page.locator("#report-map").click(position={"x": box["width"] / 2, "y": box["height"] / 2})
        page.wait_for_function("() => document.getElementById('point').textContent.includes('›')")
        assert "饮马街街道" in page.inner_text("#point")
        assert page.input_value("#lon").startswith("101.")
        shot(page, f"portal-map-{'phone' if mobile else 'desktop'}-zh")
        page.press("#place-search", "Enter")  # searching never sends the report
        assert page.url.endswith("/public/report/")
