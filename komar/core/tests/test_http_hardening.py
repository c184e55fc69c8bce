"""HTTP hardening: the Content-Security-Policy, no-store answers, 413 for oversized
bodies, and pages that are private unless a view says otherwise."""

import json

import pytest
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import include, path

from komar.accounts.roles import Role
from komar.api.tests.helpers import api_as
from komar.audit.models import AuditEvent
from komar.cases.models import Case
from komar.children.models import Child
from komar.children.tests.helpers import open_case, register_child

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'; object-src 'none'"
)
LIMIT = 2_621_440  # DATA_UPLOAD_MAX_MEMORY_SIZE, Django's default of 2.5 MB


@pytest.fixture
def case(world) -> Case:
    worker = world.user(Role.CASE_WORKER)
    return open_case(worker, register_child(worker))


def signed_in(world, role: str = Role.CASE_WORKER) -> Client:
    client = Client()
    client.force_login(world.user(role))
    return client


# --- Content-Security-Policy -----------------------------------------------------------


def test_policy_is_the_documented_one(settings) -> None:
    from komar.core.middleware import content_security_policy

    assert content_security_policy(settings.KOMAR_CSP) == POLICY


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/login/",
        "/static/komar/komar.css",
        "/no-such-page/",
        "/api/v1/me/",
        "/api/v1/no-such-endpoint/",
    ],
)
def test_every_answer_carries_the_policy(db, url) -> None:
    response = Client().get(url)
    assert response["Content-Security-Policy"] == POLICY


def test_signed_in_pages_carry_the_policy(world, case) -> None:
    client = signed_in(world)
    for url in ("/", "/cases/", case.get_absolute_url(), f"/children/{case.child_id}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Security-Policy"] == POLICY, url


def test_pages_have_no_inline_script_or_style(world, case) -> None:
    client = signed_in(world)
    for url in (
        "/accounts/login/",
        "/",
        "/cases/",
        case.get_absolute_url(),
        f"/children/{case.child_id}/",
        "/children/register/",
    ):
        page = client.get(url).content.decode()
        for inline in ("<script>", "<style", ' style="', " hx-on", " onclick="):
            assert inline not in page, (url, inline)


# --- No-store --------------------------------------------------------------------------


def test_pages_that_show_a_child_are_not_stored(world, case) -> None:
    client = signed_in(world)
    for url in (f"/children/{case.child_id}/", case.get_absolute_url(), "/cases/", "/"):
        assert client.get(url)["Cache-Control"] == "no-store", url


def test_api_answers_about_children_are_not_stored(world, case) -> None:
    client = api_as(world.user(Role.CASE_WORKER))
    for url in (
        f"/api/v1/children/{case.child_id}/",
        "/api/v1/children/",
        f"/api/v1/cases/{case.pk}/",
        "/api/v1/cases/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store", url


def test_sign_in_page_and_errors_are_not_stored_either(db) -> None:
    assert Client().get("/accounts/login/")["Cache-Control"] == "no-store"
    assert Client().get("/no-such-page/")["Cache-Control"] == "no-store"


def test_static_files_stay_cacheable(db) -> None:
    response = Client().get("/static/komar/komar.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


# --- Oversized bodies ------------------------------------------------------------------


def _big_json() -> str:
    return json.dumps({"family_name": "x" * (LIMIT + 1)})


def test_oversized_api_body_answers_413_in_json(world) -> None:
    # Given a signed-in API client sending a body one byte over the limit
    client = api_as(world.user(Role.CASE_WORKER))
    before = (Child.objects.count(), AuditEvent.objects.count())

    response = client.post("/api/v1/children/", _big_json(), content_type="application/json")

    # Then it is refused as too large, in JSON, and nothing is saved
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "The request is too large: send at most 2.5 MB."}
    assert (Child.objects.count(), AuditEvent.objects.count()) == before


def test_oversized_api_body_is_refused_in_khmer(world) -> None:
    client = api_as(world.user(Role.CASE_WORKER))
    response = client.post(
        "/api/v1/children/",
        _big_json(),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="km",
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "សំណើធំពេក៖ សូមផ្ញើមិនឲ្យលើស 2.5 MB។"}


def test_oversized_sign_in_answers_413_even_to_anonymous(db) -> None:
    response = api_as().post("/api/v1/auth/token/", _big_json(), content_type="application/json")
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Too much at once"), ("km", "ច្រើនពេកក្នុងពេលតែមួយ")]
)
def test_oversized_form_answers_413_with_a_page_in_the_users_language(
    world, language, heading
) -> None:
    # Given a case worker whose pages are in ``language``
    client = signed_in(world)
    client.cookies["django_language"] = language
    before = Child.objects.count()

    # When they post a registration form over the limit
    response = client.post(
        "/children/register/", {"name_km": "ក" * (LIMIT + 1), "family_name": "Sok"}
    )

    # Then the page says it was too much, in their language, and nothing is saved
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert f'<h1 class="h3" id="too-large">{heading}</h1>' in page
    assert f'<html lang="{language}">' in page
    assert Child.objects.count() == before


def test_a_body_within_the_limit_is_read_as_usual(world) -> None:
    response = api_as(world.user(Role.CASE_WORKER)).post(
        "/api/v1/children/", {"family_name": "x" * 1000}, format="json"
    )
    assert response.status_code == 400  # a validation error, not a size refusal


# --- Private unless marked -------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/cases/",
        "/children/register/",
        "/geo/picker/search/?q=phnom",
        "/accounts/2fa/",
        "/accounts/password/change/",
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(db, url) -> None:
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_anonymous_visitors_cannot_open_a_record_page(world, case) -> None:
    for url in (case.get_absolute_url(), f"/children/{case.child_id}/"):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("get", "/accounts/login/", 200),
        ("get", "/accounts/password/reset/", 200),
        ("get", "/static/komar/komar.css", 200),
        ("get", "/api/v1/me/", 401),  # the API answers for itself, in JSON
        ("get", "/api/v1/schema/", 401),
    ],
)
def test_sign_in_pages_static_files_and_the_api_stay_reachable(db, method, url, status) -> None:
    response = getattr(Client(), method)(url)
    assert response.status_code == status


def test_the_language_switch_works_before_sign_in(db) -> None:
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "km", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert client.cookies["django_language"].value == "km"


def _a_new_view(request):
    return HttpResponse("a page someone added without @login_required")


urlpatterns = [path("new-page/", _a_new_view), path("accounts/", include("allauth.urls"))]


@override_settings(ROOT_URLCONF=__name__)
def test_a_new_view_is_private_by_default(db) -> None:
    response = Client().get("/new-page/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/new-page/"
