"""Khmer formats follow CLDR, not Django's km module."""

import datetime

from django.utils import formats, translation


def test_khmer_numbers_use_cldr_separators() -> None:
    with translation.override("km"):
        assert formats.number_format(1234567.5, decimal_pos=1, force_grouping=True) == "1,234,567.5"


def test_khmer_dates_use_khmer_month_names() -> None:
    with translation.override("km"):
        assert formats.date_format(datetime.date(2026, 4, 13), "DATE_FORMAT") == "13 មេសា 2026"
        assert formats.date_format(datetime.date(2026, 4, 13), "SHORT_DATE_FORMAT") == "13/04/2026"


def test_language_switch_and_browser_language(client) -> None:
    # Given a browser asking for Khmer, the sign-in page is in Khmer
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="km,en;q=0.5")
    assert '<html lang="km">' in page.content.decode()
    # When the user picks English, it sticks over the browser's choice
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="km,en;q=0.5")
    assert '<html lang="en">' in page.content.decode()
