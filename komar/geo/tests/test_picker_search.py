"""The picker's place search: hits for everyday spellings, and picking one of them.

Against the whole gazetteer (loaded once for the module), since the everyday names
(Poipet, Siem Reap) are not in the small one.
"""

import re

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from komar.geo.forms import SEARCH_LIMIT, VillageField
from komar.geo.models import Village

pytestmark = [pytest.mark.django_db, pytest.mark.urls("komar.geo.tests.urls")]

PICKER = {"field": "village", "picker": "id_village"}
SCREENING = {
    "field": "screening-recruitment_village_code",
    "picker": "id_screening-recruitment_village_code",
}


@pytest.fixture
def user_client(client, django_user_model, gazetteer):
    user = django_user_model.objects.create_user(username="worker", password="pw-for-tests-only")
    client.force_login(user)
    return client


def _search(client, q: str, picker: dict[str, str] = PICKER, key: str = "q") -> str:
    response = client.get(reverse("geo:picker_search"), {key: q, **picker})
    assert response.status_code == 200
    return response.content.decode()


def _hit_codes(html: str) -> list[str]:
    return re.findall(r'<button type="button" [^>]*data-code="([0-9]+)"', html)


def _selected(html: str) -> list[str]:
    return re.findall(r'<option value="([0-9]+)" selected>', html)


@pytest.mark.parametrize("name", ["geo:picker_search", "geo:picker_place"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name), {"q": "Poipet", "unit": "0110", **PICKER})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["geo:picker_search", "geo:picker_place"])
def test_post_is_refused(user_client, name):
    response = user_client.post(reverse(name), {"q": "Poipet", "unit": "0110", **PICKER})
    assert response.status_code == 405


def test_poipet_lists_krong_poipet_with_its_path_in_both_scripts(user_client):
    html = _search(user_client, "Poipet")
    codes = _hit_codes(html)
    assert codes[:2] == ["0110", "011002"]  # the town, then its sangkat
    town = html.split('data-code="0110"')[1].split("</button>")[0]
    assert "ប៉ោយប៉ែត / Poipet" in town
    assert "Krong (municipality)" in town
    assert '<span lang="km">បន្ទាយមានជ័យ</span> / <span lang="en">Banteay Meanchey</span>' in town
    # A click asks for the picker's lists preselected down to the town.
    assert f'hx-get="{reverse("geo:picker_place")}"' in town
    assert 'hx-vals="{&quot;unit&quot;: &quot;0110&quot;}"' in town
    assert 'hx-target="#id_village__hits"' in town


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("សៀមរាប", "17"),
        ("koh kong", "09"),
        ("Kep", "23"),
        ("siemreap", "17"),
        ("0110", "0110"),
        ("០១១០", "0110"),
    ],
)
def test_khmer_latin_everyday_spellings_and_codes(user_client, query, code):
    assert _hit_codes(_search(user_client, query))[0] == code


def test_the_box_sends_its_own_name_and_hits_are_few(user_client):
    # The search box is named "<field>__search"; a prefixed field works the same.
    html = _search(user_client, "Poipet", SCREENING, key=f"{SCREENING['field']}__search")
    assert "0110" in _hit_codes(html)
    assert 'hx-target="#id_screening-recruitment_village_code__hits"' in html
    assert len(_hit_codes(_search(user_client, "Kampong"))) == SEARCH_LIMIT


@pytest.mark.parametrize("query", ["", "   ", "x" * 101, "ស" * 101, "Poi\x00pet", "Poipet\n"])
def test_bad_input_gives_an_empty_list(user_client, query):
    assert _search(user_client, query).strip() == ""


def test_unusual_characters_never_fail(user_client):
    for query in ("%", "_", "'", '"', "\\", "--", "៖", "🙂", "<script>", "Poipet " * 14):
        html = _search(user_client, query)
        assert "<script>" not in html


def test_nothing_found_is_said_in_the_users_language(user_client):
    html = _search(user_client, "Zzyzx")
    assert _hit_codes(html) == []
    assert "No place found." in html
    with translation.override("km"):
        khmer = translation.gettext("No place found.")
    assert khmer != "No place found."
    user_client.cookies["django_language"] = "km"
    assert khmer in _search(user_client, "Zzyzx")


def test_names_are_escaped(user_client):
    Village.objects.filter(code="01020101").update(name_latin='<img src=x onerror="alert(1)">')
    html = _search(user_client, "01020101")
    assert _hit_codes(html) == ["01020101"]
    assert "<img" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_unsafe_picker_names_are_refused(user_client):
    for params in ({"q": "Poipet"}, {"q": "Poipet", "field": "x", "picker": '"><script>'}):
        response = user_client.get(reverse("geo:picker_search"), params)
        assert response.status_code == 400


def test_picking_a_village_fills_the_whole_cascade_and_the_code(user_client):
    response = user_client.get(reverse("geo:picker_place"), {"unit": "01020101", **PICKER})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div id="id_village__selects" hx-swap-oob="innerHTML">')
    assert _selected(html) == ["01", "0102", "010201", "01020101"]
    assert '<input type="text" name="village" id="id_village" value="01020101"' in html
    assert 'hx-swap-oob="outerHTML"' in html


def test_picking_a_district_loads_its_communes_and_empties_the_code(user_client):
    response = user_client.get(reverse("geo:picker_place"), {"unit": "0110", **SCREENING})
    html = response.content.decode()
    prefix = "id_screening-recruitment_village_code"
    assert f'<div id="{prefix}__selects" hx-swap-oob="innerHTML">' in html
    assert _selected(html) == ["01", "0110"]
    communes = html.split(f'id="{prefix}__commune"')[1].split("</select>")[0]
    assert '<option value="011002">' in communes  # Sangkat Poipet, to choose
    villages = html.split(f'id="{prefix}__village"')[1].split("</select>")[0]
    assert villages.count("<option") == 1  # only the placeholder
    code_input = html.split("<input")[1]
    assert 'name="screening-recruitment_village_code"' in code_input
    assert "value=" not in code_input.split("class=")[0]


@pytest.mark.parametrize(
    ("unit", "selected"), [("17", ["17"]), ("011002", ["01", "0110", "011002"])]
)
def test_picking_a_province_or_commune(user_client, unit, selected):
    html = user_client.get(reverse("geo:picker_place"), {"unit": unit, **PICKER}).content.decode()
    assert _selected(html) == selected


@pytest.mark.parametrize("unit", ["", "99", "999999", "abc", "<b>", "0" * 50])
def test_picking_an_unknown_unit_only_clears_the_hits(user_client, unit):
    response = user_client.get(reverse("geo:picker_place"), {"unit": unit, **PICKER})
    assert response.status_code == 200
    assert response.content == b""


def test_the_widget_has_a_search_box_the_form_ignores(gazetteer):
    class ScreeningForm(forms.Form):
        recruitment_village_code = VillageField(required=False)
        exploitation_village_code = VillageField(required=False)

    form = ScreeningForm(prefix="screening")
    html = str(form)
    for field in ("recruitment_village_code", "exploitation_village_code"):
        box = html.split(f'id="id_screening-{field}__search"')[1].split(">")[0]
        assert f'name="screening-{field}__search"' in box
        assert f'hx-target="#id_screening-{field}__hits"' in box
        assert 'hx-trigger="input changed delay:300ms"' in box
        assert "required" not in box
        assert f'<div class="geo-picker-hits" id="id_screening-{field}__hits"' in html
    assert "Find a place" in html
    with translation.override("km"):
        assert "Find a place" not in str(ScreeningForm(prefix="screening"))
    bound = ScreeningForm(
        prefix="screening",
        data={
            "screening-recruitment_village_code": "01020101",
            "screening-recruitment_village_code__search": "Poipet",
            "screening-exploitation_village_code__search": "x" * 500,
        },
    )
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data == {
        "recruitment_village_code": "01020101",
        "exploitation_village_code": "",
    }
