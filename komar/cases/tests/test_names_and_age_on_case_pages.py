"""People by name and the child's age on the case pages, in the page's language."""

from django.test import Client

from komar.accounts.roles import Role
from komar.cases.tests.factories import CaseFactory
from komar.children.tests.factories import ChildFactory


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _named(user, latin: str, khmer: str):
    user.full_name, user.full_name_km = latin, khmer
    user.save()
    return user


def test_the_case_page_names_the_worker_and_the_screener_in_the_page_language(world) -> None:
    worker = _named(world.user(Role.CASE_WORKER), "Sok Dara", "សុខ ដារា")
    case = CaseFactory(actor=worker, child=ChildFactory(actor=worker, birth_year=2012))
    client = _client(worker)

    page = client.get(case.get_absolute_url()).content.decode()
    assert '<dd class="col-7" id="case-worker">Sok Dara</dd>' in page
    assert '<span id="screened-by">Sok Dara</span>' in page
    assert '<span class="text-muted" id="case-child-age">· 2012 · about ' in page

    km = client.get(case.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="km").content.decode()
    assert '<dd class="col-7" id="case-worker">សុខ ដារា</dd>' in km
    assert '<span id="screened-by">សុខ ដារា</span>' in km
    assert '<span class="text-muted" id="case-child-age">· 2012 · ប្រហែល ' in km


def test_a_worker_without_a_full_name_is_named_by_username(world) -> None:
    worker = world.user(Role.CASE_WORKER)
    case = CaseFactory(actor=worker)
    page = _client(worker).get(case.get_absolute_url()).content.decode()
    assert '<dd class="col-7" id="case-worker">case_worker</dd>' in page
    assert '<span id="screened-by">case_worker</span>' in page


def test_the_assignee_choices_name_people_in_the_page_language(world) -> None:
    worker = _named(world.user(Role.CASE_WORKER), "Sok Dara", "សុខ ដារា")
    case = CaseFactory(actor=worker)
    client = _client(worker)
    page = client.get(f"/cases/{case.pk}/edit/").content.decode()
    assert f'<option value="{worker.pk}" selected>Sok Dara (Case worker)</option>' in page
    km = client.get(f"/cases/{case.pk}/edit/", HTTP_ACCEPT_LANGUAGE="km").content.decode()
    assert f'<option value="{worker.pk}" selected>សុខ ដារា (' in km


def test_the_open_case_page_shows_the_childs_age(world) -> None:
    worker = world.user(Role.CASE_WORKER)
    child = ChildFactory(actor=worker, birth_year=2012)
    client = _client(worker)
    page = client.get(f"/cases/open/{child.pk}/").content.decode()
    assert f'id="case-form-child">Child: {child.display_name} · about 1' in page
    km = client.get(f"/cases/open/{child.pk}/", HTTP_ACCEPT_LANGUAGE="km").content.decode()
    assert f'id="case-form-child">កុមារ៖ {child.display_name} · ប្រហែល 1' in km
