"""Template filters for Khmer text: Khmer digits, the long Khmer date, organisation names
in the page's language and page titles with the brand."""

import datetime

from django import template

register = template.Library()

_TO_KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")
KHMER_MONTHS = (
    "មករា",
    "កុម្ភៈ",
    "មីនា",
    "មេសា",
    "ឧសភា",
    "មិថុនា",
    "កក្កដា",
    "សីហា",
    "កញ្ញា",
    "តុលា",
    "វិច្ឆិកា",
    "ធ្នូ",
)
BRAND = "Komar"


@register.filter
def khmer_digits(value: object) -> str:
    """Return the value as text with Khmer digits (2026 → ២០២៦)."""
    if value is None:
        return ""
    return str(value).translate(_TO_KHMER_DIGITS)


@register.filter
def khmer_long_date(value: datetime.date | None) -> str:
    """Return the long date of official Khmer documents: ថ្ងៃទី២៦ ខែតុលា ឆ្នាំ២០២៦."""
    if not isinstance(value, datetime.date):
        return ""
    day = khmer_digits(value.day)
    year = khmer_digits(value.year)
    return f"ថ្ងៃទី{day} ខែ{KHMER_MONTHS[value.month - 1]} ឆ្នាំ{year}"


@register.filter
def org_name(organisation: object) -> str:
    """Return the organisation's name in the page's language (Khmer name on Khmer pages).

    Takes any object with ``display_name()`` (accounts.Organisation): core sits below
    accounts and does not import it.
    """
    if organisation is None:
        return ""
    display_name = getattr(organisation, "display_name", None)
    return str(display_name()) if callable(display_name) else str(organisation)


@register.filter
def with_brand(title: str) -> str:
    """Return the page title followed by the brand: "ករណី · Komar", or the brand alone."""
    title = str(title).strip()
    return f"{title} · {BRAND}" if title else BRAND
