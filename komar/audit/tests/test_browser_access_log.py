"""A supervisor sees, in the access log, that a case worker searched, without the name."""

import pytest
from playwright.sync_api import Page, expect

from komar.cases.tests.factories import CaseFactory
from komar.cases.tests.test_browser_journey import sign_in, sign_out, t
from komar.children.tests.factories import ChildFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["en", "km"])
def test_a_search_shows_in_the_supervisors_access_log(
    page: Page, live_server, world, lang: str
) -> None:
    base = live_server.url
    worker = world.user("case_worker")
    CaseFactory(
        actor=worker, child=ChildFactory(actor=worker, family_name="Sok", given_name="Sothea")
    )

    # Given a case worker who searches the case list by a child's name
    sign_in(page, base, "case_worker", lang)
    page.goto(f"{base}/cases/?q=Sothea")
    expect(page.locator("main")).to_contain_text("Sothea")
    sign_out(page)

    # When their supervisor opens the access log and filters it to searches
    sign_in(page, base, "supervisor", lang)
    page.click("#nav-audit")
    expect(page.locator("h1")).to_have_text(t(lang, "Access log"))
    page.select_option("#id_action", "searched")
    page.click("#audit-filters button[type=submit]")

    # Then one search by the case worker is listed with its count, and no name
    rows = page.locator("tr.audit-event[data-action='searched']")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("case_worker")
    expect(rows.first).to_contain_text(t(lang, "name or number searched"))
    separator = "៖" if lang == "km" else ":"  # Khmer text takes the Khmer colon
    expect(rows.first).to_contain_text(f"{t(lang, 'results')}{separator} 1")
    expect(page.locator("main")).not_to_contain_text("Sothea")

    # And on a phone the log fits the screen: nothing scrolls sideways
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
