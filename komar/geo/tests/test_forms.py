"""The village field and its cascading picker widget."""

import re

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from komar.geo.forms import VillageField, VillagePickerWidget
from komar.geo.tests.fixtures import VILLAGE_OU_THUM, VILLAGE_PHNUM

pytestmark = [pytest.mark.django_db, pytest.mark.urls("komar.geo.tests.urls")]


class PlaceForm(forms.Form):
    village = VillageField(required=False)


class RequiredPlaceForm(forms.Form):
    village = VillageField()


def test_accepts_a_known_code(small_gazetteer):
    assert VillageField().clean("01020101") == "01020101"


@pytest.mark.parametrize("typed", ["០១០២០១០១", " 01020101 ", "1020101", "01 02 01 01"])
def test_normalises_digits_blanks_and_padding(small_gazetteer, typed):
    assert VillageField().clean(typed) == VILLAGE_OU_THUM


@pytest.mark.parametrize("typed", ["99999999", "0102010", "01020199", "abc", "010201010"])
def test_rejects_an_unknown_code_with_the_exact_message(small_gazetteer, typed):
    with pytest.raises(ValidationError) as error:
        VillageField().clean(typed)
    assert error.value.messages == ["Unknown village code."]
    assert error.value.code == "unknown_village"


def test_error_is_in_the_users_language(small_gazetteer):
    with translation.override("km"):
        form = PlaceForm(data={"village": "99999999"})
        assert not form.is_valid()
        message = form.errors["village"][0]
    assert message != "Unknown village code."
    assert re.search("[\u1780-\u17ff]", message)


def test_optional_and_required(small_gazetteer):
    optional = PlaceForm(data={"village": ""})
    assert optional.is_valid()
    assert optional.cleaned_data["village"] == ""
    form = RequiredPlaceForm(data={"village": ""})
    assert not form.is_valid()
    assert form.errors["village"] == ["This field is required."]


def test_to_instance_returns_the_village(small_gazetteer):
    village = VillageField(to_instance=True).clean("០១០២០១០២")
    assert village == small_gazetteer.villages[VILLAGE_PHNUM]
    assert VillageField(to_instance=True, required=False).clean("") is None


def test_form_submits_the_code_input(small_gazetteer):
    form = PlaceForm(data={"village": "០១០២០១០១", "village__province": "12"})
    assert form.is_valid()
    assert form.cleaned_data["village"] == VILLAGE_OU_THUM


def _selected(html: str, select_id: str) -> str | None:
    select = re.search(rf'<select[^>]*id="{select_id}".*?</select>', html, re.S).group(0)
    match = re.search(r'<option value="([^"]*)" selected>', select)
    return match.group(1) if match else None


def test_widget_with_an_initial_value_preselects_all_four_levels(small_gazetteer):
    html = str(PlaceForm(initial={"village": VILLAGE_OU_THUM})["village"])
    assert _selected(html, "id_village__province") == "01"
    assert _selected(html, "id_village__district") == "0102"
    assert _selected(html, "id_village__commune") == "010201"
    assert _selected(html, "id_village__village") == VILLAGE_OU_THUM
    assert re.search(r'<input type="text" name="village" id="id_village" value="01020101"', html)
    # Options show the name in both scripts.
    assert '<option value="01020101" selected>អូរធំ / Ou Thum</option>' in html
    assert '<option value="01020102">ភ្នំ / Phnum</option>' in html


def test_widget_cascade_attributes(small_gazetteer):
    html = str(PlaceForm(initial={"village": VILLAGE_OU_THUM})["village"])
    assert 'hx-get="/geo/options/districts/"' in html
    assert 'hx-target="#id_village__district"' in html
    assert 'hx-get="/geo/options/communes/"' in html
    assert 'hx-get="/geo/options/villages/"' in html
    assert 'hx-get="/geo/picker/code/"' in html
    assert 'hx-get="/geo/picker/selects/"' in html
    assert 'hx-vals="{&quot;field&quot;: &quot;village&quot;' in html


def test_widget_without_a_value_lists_only_provinces(small_gazetteer):
    html = str(PlaceForm()["village"])
    assert _selected(html, "id_village__province") is None
    assert '<option value="12">ភ្នំពេញ / Phnom Penh</option>' in html
    district = re.search(r'<select[^>]*id="id_village__district".*?</select>', html, re.S).group(0)
    assert district.count("<option") == 1  # only the placeholder
    assert 'name="village" id="id_village"' in html
    assert 'value="' not in re.search(r'<input type="text"[^>]*>', html).group(0)


def test_widget_keeps_a_wrong_code_as_typed(small_gazetteer):
    form = PlaceForm(data={"village": "99999999"})
    html = str(form["village"])
    assert 'value="99999999"' in html
    assert _selected(html, "id_village__province") is None


def test_widget_with_a_prefix_and_required(small_gazetteer):
    form = RequiredPlaceForm(prefix="child", initial={"village": VILLAGE_PHNUM})
    html = str(form["village"])
    assert 'id="id_child-village__province"' in html
    assert 'name="child-village__province"' in html
    assert re.search(
        r'<input type="text" name="child-village" id="id_child-village"[^>]* required', html
    )
    assert _selected(html, "id_child-village__village") == VILLAGE_PHNUM


def test_widget_is_the_default_of_the_field():
    assert isinstance(VillageField().widget, VillagePickerWidget)
