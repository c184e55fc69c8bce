"""The case list on a 375 px phone, in English and Khmer: filters folded away, one card
per case, nothing wider than the screen, sort from the folded menu, clear all filters."""

import re

import pytest
from playwright.sync_api import Page, expect

from komar.cases.models import Case
from komar.cases.tests.factories import CaseFactory
from komar.cases.tests.test_browser_journey import sign_in, t

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


@pytest.mark.parametrize("lang", ["en", "km"])
def test_case_list_on_a_phone(page: Page, live_server, world, lang: str) -> None:
    worker = world.user("case_worker")
    risks = ["low", "medium", "high", "low", "not_assessed"]
    for risk in risks:
        case = CaseFactory(actor=worker)
        Case.objects.filter(pk=case.pk).update(risk_level=risk)
    high = Case.objects.get(risk_level="high")

    sign_in(page, live_server.url, "case_worker", lang)
    page.set_viewport_size(PHONE)
    worker.full_name, worker.full_name_km = "Sok Dara", "សុខ ដារា"
    worker.save()
    page.goto(f"{live_server.url}/cases/")

    # Folded: the search box and the switch, then the cases, on the first screen.
    expect(page.locator("#more-filters")).to_be_hidden()
    expect(page.locator("#toggle-filters")).to_have_text(t(lang, "More filters and sorting"))
    expect(page.locator("#case-table")).to_be_hidden()
    cards = page.locator(".case-card")
    expect(cards).to_have_count(5)
    first = cards.first.bounding_box()
    assert first is not None
    assert first["y"] + first["height"] <= PHONE["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    expect(cards.first).to_contain_text(
        t(lang, "Case worker: %(name)s") % {"name": "សុខ ដារា" if lang == "km" else "Sok Dara"}
    )
    # A case number on one line, never broken at its hyphens.
    number = cards.first.locator("a").first
    assert number.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"
    box = number.bounding_box()
    assert box is not None
    assert box["height"] < 32
    # The switch: each choice a finger-sized button, its radio and label together.
    for label in page.locator("#field-whose label").all():
        box = label.bounding_box()
        assert box is not None
        assert box["height"] >= 40
        assert box["width"] >= 44
    expect(page.locator("#field-whose")).to_contain_text(t(lang, "All I may see"))

    # Sort from the folded menu: highest risk first.
    page.click("#toggle-filters")
    expect(page.locator("#more-filters")).to_be_visible()
    page.select_option("#id_sort", "-risk")
    expect(page).to_have_url(re.compile(r"sort=-risk"))
    expect(cards.first).to_contain_text(high.number)
    expect(page.locator("#clear-filters")).to_have_text(t(lang, "Clear all filters"))

    # "Mine" keeps the five; clear all filters goes back to the plain list.
    page.click("#field-whose label >> nth=1")
    expect(page).to_have_url(re.compile(r"whose=mine"))
    expect(cards).to_have_count(5)
    page.click("#clear-filters")
    expect(page).to_have_url(f"{live_server.url}/cases/")
    expect(page.locator("#clear-filters")).to_have_count(0)
    expect(page.locator("#id_sort")).to_have_value("")
    expect(page.locator("#case-counts")).to_contain_text(t(lang, "By risk"))
    if lang == "km":
        body = page.locator("main").inner_text() if page.locator("main").count() else ""
        for english in ("Sort by", "Mine", "By stage", "Case worker", "cases"):
            assert english not in body, english
