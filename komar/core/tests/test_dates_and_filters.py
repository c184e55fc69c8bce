"""Day-first date entry with Khmer digits, and the Khmer template filters."""

import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from komar.accounts.models import Organisation, OrganisationType
from komar.core.forms import DateField, parse_day_first_date


class _Form(forms.Form):
    day = DateField(required=False)


@pytest.mark.parametrize(
    "typed",
    [
        "26/10/2026",
        "26-10-2026",
        "26.10.2026",
        "២៦/១០/២០២៦",
        "២៦-១០-២០២៦",
        " 26 / 10 / 2026 ",
        "26102026",
        "២៦១០២០២៦",
        "2026-10-26",  # ISO, as the API and older pages send it
    ],
)
def test_a_day_first_date_is_read_in_any_of_the_ways_people_type_it(typed: str) -> None:
    form = _Form(data={"day": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2026, 10, 26)


def test_the_day_comes_first_not_the_month() -> None:
    assert parse_day_first_date("05/02/2026") == datetime.date(2026, 2, 5)
    assert parse_day_first_date("25/12/2015") == datetime.date(2015, 12, 25)


@pytest.mark.parametrize(
    "typed", ["10/26/2026", "31/02/2026", "26/10/26", "26/10", "tomorrow", "122015-02-05"]
)
def test_an_impossible_or_ambiguous_date_is_a_form_error_in_khmer(typed: str) -> None:
    with translation.override("km"):
        form = _Form(data={"day": typed})
        assert not form.is_valid()
        assert form.errors["day"] == ["សូមសរសេរកាលបរិច្ឆេទជា ថ្ងៃ/ខែ/ឆ្នាំ ឧទាហរណ៍ 26/10/2026។"]


def test_the_widget_is_a_day_first_text_box_not_the_browsers_date_picker() -> None:
    form = _Form(initial={"day": datetime.date(2026, 10, 26)})
    html = str(form["day"])
    assert 'type="text"' in html
    assert 'type="date"' not in html
    assert 'value="26/10/2026"' in html
    assert 'placeholder="dd/mm/yyyy"' in html
    assert 'inputmode="numeric"' in html


def test_a_refused_date_is_shown_again_as_typed() -> None:
    form = _Form(data={"day": "31/02/2026"})
    assert not form.is_valid()
    assert 'value="31/02/2026"' in str(form["day"])


def _render(source: str, **context: object) -> str:
    return Template("{% load komar_text %}" + source).render(Context(context))


def test_khmer_digits_filter() -> None:
    assert _render("{{ n|khmer_digits }}", n=2026) == "២០២៦"
    assert _render("{{ s|khmer_digits }}", s="KC-2026-00032") == "KC-២០២៦-០០០៣២"
    assert _render("{{ n|khmer_digits }}", n=None) == ""


def test_long_khmer_date_for_official_documents() -> None:
    day = datetime.date(2026, 10, 26)
    assert _render("{{ d|khmer_long_date }}", d=day) == "ថ្ងៃទី២៦ ខែតុលា ឆ្នាំ២០២៦"
    assert _render("{{ d|khmer_long_date }}", d=datetime.date(2027, 1, 5)) == (
        "ថ្ងៃទី៥ ខែមករា ឆ្នាំ២០២៧"
    )
    assert _render("{{ d|khmer_long_date }}", d=None) == ""


def test_page_title_gets_a_separator_before_the_brand() -> None:
    assert _render("{% filter with_brand %}ករណី{% endfilter %}") == "ករណី · Komar"
    assert _render("{% filter with_brand %}  {% endfilter %}") == "Komar"


@pytest.mark.django_db
def test_organisation_names_follow_the_page_language() -> None:
    org = Organisation.objects.create(
        name="Komar Demo Organisation", name_km="អង្គការកុមារ", type=OrganisationType.NGO
    )
    plain = Organisation.objects.create(name="No Khmer Name", type=OrganisationType.NGO)
    with translation.override("km"):
        assert _render("{{ o|org_name }}", o=org) == "អង្គការកុមារ"
        assert _render("{{ o|org_name }}", o=plain) == "No Khmer Name"
        assert str(org) == "អង្គការកុមារ"
    with translation.override("en"):
        assert _render("{{ o|org_name }}", o=org) == "Komar Demo Organisation"
        assert str(org) == "Komar Demo Organisation"
