"""Pages Django and allauth would show in English are Komar's own, in the user's language;
the language choice is remembered on the account."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from komar.access.tests.matrix import assert_role_table, role_table
from komar.accounts.models import User
from komar.audit.models import AuditEvent
from komar.conftest import PASSWORD

KM = {settings.LANGUAGE_COOKIE_NAME: "km"}
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
ALLOWED = {"Komar", "API"}


def _khmer_client(user: User | None = None, **kwargs: object) -> Client:
    client = Client(**kwargs)  # type: ignore[arg-type]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "km"
    if user is not None:
        client.force_login(user)
    return client


def visible_english(html: str) -> set[str]:
    """Return Latin words in the visible text of the page's <main> and <title>."""
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    main = re.search(r"<main[^>]*>(.*?)</main>", html, re.S)
    body = (title.group(1) if title else "") + " " + (main.group(1) if main else html)
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", body)
    text = re.sub(r"\b[A-Z]{4}(?:-[A-Z]{4})+\b", " ", text)  # an example one-time code
    return set(LATIN_WORD.findall(text)) - ALLOWED


@pytest.mark.django_db
def test_csrf_failure_is_komars_page_in_khmer(world) -> None:
    client = _khmer_client(world.user("case_worker"), enforce_csrf_checks=True)
    response = client.post(reverse("set_language"), {"language": "en"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "មិនអាចផ្ញើទម្រង់នេះបានទេ" in html
    assert visible_english(html) == set()
    assert "DEBUG" not in html
    assert "same-origin" not in html
    # Refused: the language was not saved.
    assert User.objects.get(pk=world.user("case_worker").pk).preferred_language == ""


@pytest.mark.django_db
def test_admin_refusal_in_khmer_for_every_role(world) -> None:
    def act(user: User) -> str:
        response = _khmer_client(user).get("/admin/", follow=True)
        html = response.content.decode()
        if response.status_code == 403:
            assert "ទំព័រគ្រប់គ្រងបច្ចេកទេស" in html
            assert "not authorized" not in html
            assert visible_english(html) == set(), visible_english(html)
        return str(response.status_code)

    expected = role_table(
        """
        case_worker         403
        shelter_worker      403
        lawyer              403
        prevention_officer  403
        supervisor          403
        data_officer        403
        partner_user        403
        administrator       403
        """
    )
    assert_role_table(world, expected, act)


@pytest.mark.django_db
def test_admin_sign_in_still_works_for_anonymous_and_staff(world) -> None:
    anonymous = Client().get("/admin/login/")
    assert anonymous.status_code == 200
    assert 'name="password"' in anonymous.content.decode()
    staff = world.user("administrator")
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(staff)
    assert client.get("/admin/login/?next=/admin/").status_code == 302


@pytest.mark.django_db
def test_sign_up_closed_page_is_in_khmer() -> None:
    response = _khmer_client().get("/accounts/signup/")
    html = response.content.decode()
    assert "មិនអាចចុះឈ្មោះដោយខ្លួនឯងបានទេ" in html
    assert "Sign Up Closed" not in html
    assert "We are sorry" not in html
    assert visible_english(html) == set()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role",
    [
        "case_worker",
        "shelter_worker",
        "lawyer",
        "prevention_officer",
        "supervisor",
        "data_officer",
        "partner_user",
        "administrator",
    ],
)
def test_home_page_of_every_role_has_no_english_in_khmer(world, role: str) -> None:
    world.host.name_km = "អង្គការម្ចាស់ផ្ទះ"
    world.host.save()
    world.partner.name_km = "សេវាជំនួយផ្លូវច្បាប់"
    world.partner.save()
    response = _khmer_client(world.user(role)).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>ទំព័រដើម · Komar</title>" in html
    assert "សូមស្វាគមន៍" in html
    assert "Host NGO" not in html
    assert "Partner legal aid" not in html
    # Usernames are data, not interface text.
    assert visible_english(html) - set(LATIN_WORD.findall(world.user(role).username)) == set()


@pytest.mark.django_db
def test_404_and_403_pages_are_in_khmer(world) -> None:
    client = _khmer_client(world.user("case_worker"))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert visible_english(response.content.decode()) == set()
    refused = _khmer_client(world.user("prevention_officer")).get(reverse("cases:list"))
    assert refused.status_code in (403, 404)
    assert visible_english(refused.content.decode()) == set()


# --- The language choice lives on the account -----------------------------------------


@pytest.mark.django_db
def test_switching_language_while_signed_in_saves_it_on_the_account(world) -> None:
    user = world.user("case_worker")
    client = Client()
    client.force_login(user)
    events = AuditEvent.objects.count()
    response = client.post(reverse("set_language"), {"language": "km", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "km"
    assert User.objects.get(pk=user.pk).preferred_language == "km"
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_an_unknown_language_changes_nothing(world) -> None:
    user = world.user("case_worker")
    client = Client()
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert User.objects.get(pk=user.pk).preferred_language == ""


@pytest.mark.django_db
def test_switching_language_signed_out_works_and_saves_nothing(world) -> None:
    response = Client().post(reverse("set_language"), {"language": "km", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "km"
    assert set(User.objects.values_list("preferred_language", flat=True)) == {""}


@pytest.mark.django_db
def test_signing_in_applies_the_language_saved_on_the_account(world) -> None:
    """A shared office computer: the last person chose English; a Khmer user signs in."""
    user = world.user("case_worker")
    User.objects.filter(pk=user.pk).update(preferred_language="km")
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "km"
    home = client.get("/")
    assert "សូមស្វាគមន៍" in home.content.decode()


@pytest.mark.django_db
def test_signing_in_without_a_saved_language_keeps_the_pages_language(world) -> None:
    user = world.user("case_worker")
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "km"
    response = client.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert "សូមស្វាគមន៍" in client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/accounts/password/reset/",
        "/accounts/signup/",
        "/users/set-password/",
        "/no-such-page/",
    ],
)
def test_pages_for_signed_out_visitors_have_no_english_in_khmer(path: str) -> None:
    response = _khmer_client().get(path)
    assert response.status_code in (200, 404)
    assert visible_english(response.content.decode()) == set()


def test_the_500_page_is_in_the_users_language_without_a_request_context() -> None:
    from django.template import loader
    from django.utils import translation

    with translation.override("km"):
        html = loader.get_template("500.html").render()
    assert '<html lang="km">' in html
    assert "មានបញ្ហាមួយបានកើតឡើង" in html
    assert visible_english(html) == set()
