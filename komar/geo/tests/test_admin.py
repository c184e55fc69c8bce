"""The gazetteer is read-only in the admin; place aliases are edited there."""

import pytest
from django.contrib import admin

from komar.geo.models import Commune, District, PlaceAlias, Province, Village

pytestmark = [pytest.mark.django_db, pytest.mark.urls("komar.geo.tests.urls")]


@pytest.fixture
def admin_client_(client, django_user_model, small_gazetteer):
    user = django_user_model.objects.create_superuser(username="root", password="pw-for-tests-only")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", [Province, District, Commune, Village])
def test_units_are_read_only(rf, django_user_model, model):
    request = rf.get("/")
    request.user = django_user_model(is_superuser=True, is_staff=True, is_active=True)
    model_admin = admin.site._registry[model]
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_village_list_and_view(admin_client_):
    assert admin_client_.get("/admin/geo/village/").status_code == 200
    page = admin_client_.get("/admin/geo/village/01020101/change/")
    assert page.status_code == 200
    assert "Ou Thum" in page.content.decode()


def test_alias_added_in_the_admin_gets_its_search_keys(admin_client_):
    response = admin_client_.post(
        "/admin/geo/placealias/add/", {"name": "Ou Thom", "code": "01020101", "note": ""}
    )
    assert response.status_code == 302
    alias = PlaceAlias.objects.get(name="Ou Thom")
    assert (alias.code, alias.search_key_latin) == ("01020101", "outom")


def test_alias_to_an_unknown_code_is_refused(admin_client_):
    response = admin_client_.post(
        "/admin/geo/placealias/add/", {"name": "Nowhere", "code": "99999999", "note": ""}
    )
    assert response.status_code == 200
    assert "No unit has this code." in response.content.decode()
    assert not PlaceAlias.objects.filter(name="Nowhere").exists()
