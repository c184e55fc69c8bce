"""The picker's HTMX fragments: option lists, the code input and the preselected lists."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.urls("komar.geo.tests.urls")]

PICKER = {"field": "village", "picker": "id_village"}


@pytest.fixture
def user_client(client, django_user_model, small_gazetteer):
    user = django_user_model.objects.create_user(username="worker", password="pw-for-tests-only")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "name",
    [
        "geo:district_options",
        "geo:commune_options",
        "geo:village_options",
        "geo:village_code_input",
        "geo:picker_selects",
    ],
)
def test_anonymous_is_sent_to_login(client, small_gazetteer, name):
    response = client.get(reverse(name), {"province": "01", **PICKER})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_district_options(user_client):
    response = user_client.get(reverse("geo:district_options"), {"province": "01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<option value="">— District —</option>')
    assert '<option value="0102">មង្គលបូរី / Mongkol Borey</option>' in html
    assert "1201" not in html
    assert "hx-swap-oob" not in html  # no picker named: just the options


def test_commune_and_village_options(user_client):
    communes = user_client.get(reverse("geo:commune_options"), {"district": "0102"})
    assert '<option value="010201">បន្ទាយនាង / Banteay Neang</option>' in communes.content.decode()
    villages = user_client.get(reverse("geo:village_options"), {"commune": "០១០២០១"})
    html = villages.content.decode()
    assert html.count("<option") == 3
    assert '<option value="01020101">អូរធំ / Ou Thum</option>' in html
    assert '<option value="01020102">ភ្នំ / Phnum</option>' in html


def test_unknown_or_bad_parent_gives_only_the_placeholder(user_client):
    for params in ({"province": "99"}, {"province": "<b>"}, {}):
        html = user_client.get(reverse("geo:district_options"), params).content.decode()
        assert html.count("<option") == 1


def test_picker_options_reset_the_lower_lists_and_the_code(user_client):
    # The widget's list is named "<field>__province" and sends the picker's ids.
    response = user_client.get(
        reverse("geo:district_options"), {"village__province": "01", **PICKER}
    )
    html = response.content.decode()
    assert '<option value="0102">' in html
    assert '<select id="id_village__commune" hx-swap-oob="innerHTML">' in html
    assert '<select id="id_village__village" hx-swap-oob="innerHTML">' in html
    assert '<input type="text" name="village" id="id_village"' in html
    assert 'hx-swap-oob="outerHTML"' in html


def test_picker_refuses_unsafe_names(user_client):
    response = user_client.get(
        reverse("geo:district_options"), {"province": "01", "field": "x", "picker": '"><script>'}
    )
    assert response.status_code == 400


def test_village_code_input_holds_the_chosen_village(user_client):
    response = user_client.get(
        reverse("geo:village_code_input"), {"village__village": "01020102", **PICKER}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<input type="text" name="village" id="id_village" value="01020102"')
    empty = user_client.get(reverse("geo:village_code_input"), {"village__village": "", **PICKER})
    assert "value=" not in empty.content.decode().split("class=")[0]


def test_picker_selects_follow_a_typed_code(user_client):
    response = user_client.get(reverse("geo:picker_selects"), {"village": "០១០២០១០២", **PICKER})
    html = response.content.decode()
    assert '<option value="01" selected>' in html
    assert '<option value="0102" selected>' in html
    assert '<option value="010201" selected>' in html
    assert '<option value="01020102" selected>' in html
    # The typed Khmer digits come back as the stored code.
    assert 'value="01020102"' in html
    assert 'hx-swap-oob="outerHTML"' in html


def test_picker_selects_with_a_wrong_code_clear_the_lists(user_client):
    response = user_client.get(reverse("geo:picker_selects"), {"village": "99999999", **PICKER})
    html = response.content.decode()
    assert "selected" not in html
    assert "hx-swap-oob" not in html  # the wrong code stays as typed


def test_picker_fragments_need_the_picker_ids(user_client):
    response = user_client.get(reverse("geo:picker_selects"), {"village": "01020101"})
    assert response.status_code == 400


def test_post_is_refused(user_client):
    assert user_client.post(reverse("geo:district_options"), {"province": "01"}).status_code == 405
