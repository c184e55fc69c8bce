"""Following a case up in a real browser, in English and in Khmer: the case worker
re-screens, moves the stage on and records the Ministry of Interior's identification;
consent is withdrawn on the child's record."""

import pytest
from playwright.sync_api import Page, expect

from komar.cases.models import Case
from komar.cases.services import ScreeningInput
from komar.cases.tests.test_browser_journey import sign_in, t
from komar.children.models import Child
from komar.children.tests.helpers import open_case, register_child

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["en", "km"])
def test_rescreen_move_stage_and_withdraw_consent(
    page: Page, live_server, world, lang: str
) -> None:
    worker = world.user("case_worker")
    child = register_child(worker, consents={"services": True, "disclosure": True}, birth_year=2000)
    # An adult story without means: not indicated
    case = open_case(
        worker,
        child,
        screening=ScreeningInput(
            acts=["recruitment"], exploitation_types=["forced_labour"], age_at_act=20
        ),
    )
    base = live_server.url
    sign_in(page, base, "case_worker", lang)
    page.goto(f"{base}{case.get_absolute_url()}")
    expect(page.locator("#screening-result")).to_have_attribute("data-result", "not_indicated")

    # When a new screening finds deception as the means
    page.click("#new-screening")
    page.check("#screening-fields input[value='recruitment']")
    page.check("#screening-fields input[value='forced_labour']")
    page.check("#screening-fields input[value='deception']")
    page.fill("#id_screening-age_at_act", "20")
    page.click("#save-screening")

    # Then the change of result must be confirmed, with a reason, before it is saved
    expect(page.locator("#confirmation")).to_be_visible()
    page.check("#id_confirm-confirm")
    page.fill("#id_confirm-reason", "Deception found at the second interview.")
    page.click("#save-screening")
    # Then the adult is a possible victim
    expect(page.locator("#screening-result")).to_have_attribute("data-result", "possible_victim")

    # When the stage moves on and the formal identification is recorded
    page.click("#edit-case")
    page.select_option("#id_status", "reintegration")
    page.select_option("#id_risk_level", "medium")
    page.fill("#id_formal_identification_date", "2026-03-02")
    page.fill("#id_formal_identification_by", "Anti-Human Trafficking Department")
    page.click("#save-case")
    expect(page.locator("#case-status")).to_have_text(t(lang, "Reintegration"))
    expect(page.locator("#formal-identification")).to_contain_text(
        "Anti-Human Trafficking Department"
    )
    case.refresh_from_db()
    assert (case.status, case.risk_level, str(case.formal_identification_date)) == (
        "reintegration",
        "medium",
        "2026-03-02",
    )

    # When consent to disclosure is withdrawn on the child's record
    page.click("#case-child")
    page.click("#edit-child")
    page.uncheck("#id_consent_disclosure")
    page.click("#save-child")
    expect(page.locator("#consents")).to_be_visible()
    assert Child.objects.get(pk=child.pk).consent_disclosure is False
    assert Case.objects.count() == 1
