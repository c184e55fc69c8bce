"""The data migration of screening places (issue 6): each village of recruitment or
exploitation becomes a place known at village level, in Cambodia; nothing else moves."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from komar.accounts.roles import Role
from komar.children.tests.factories import ChildFactory
from komar.geo.tests.fixtures import VILLAGE_OU_THUM, VILLAGE_PHUM_1, load_small_gazetteer

BEFORE = [("cases", "0002_confirmed_changes")]
AFTER = [("cases", "0004_screening_places_drop_villages")]


@pytest.mark.django_db(transaction=True)
def test_villages_become_places_at_village_level(world) -> None:
    # Given screenings written before the migration, with villages and a country
    load_small_gazetteer()
    worker = world.user(Role.CASE_WORKER)
    child = ChildFactory(actor=worker)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    case_model = old.get_model("cases", "Case")
    screening_model = old.get_model("cases", "Screening")
    case = case_model.objects.create(
        number="2026-99999",
        child_id=child.pk,
        organisation_id=worker.organisation_id,
        intake_source="hotline",
        assigned_to_id=worker.pk,
        opened_by_id=worker.pk,
    )
    common = {"case": case, "result": "possible_victim", "screened_by_id": worker.pk}
    both = screening_model.objects.create(
        **common,
        recruitment_village_id=VILLAGE_OU_THUM,
        recruitment_country="KH",
        exploitation_village_id=VILLAGE_PHUM_1,
        exploitation_country="KH",
    ).pk
    abroad = screening_model.objects.create(**common, exploitation_country="TH").pk

    # When the migration runs
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("cases", "Screening")

    # Then the villages are places at village level, and the country abroad is kept
    fields = (
        "recruitment_place_code",
        "recruitment_place_level",
        "recruitment_country",
        "exploitation_place_code",
        "exploitation_place_level",
        "exploitation_country",
        "exploitation_region",
    )
    assert new.objects.filter(pk=both).values_list(*fields).get() == (
        VILLAGE_OU_THUM,
        "village",
        "KH",
        VILLAGE_PHUM_1,
        "village",
        "KH",
        "",
    )
    assert new.objects.filter(pk=abroad).values_list(*fields).get() == (
        "",
        "",
        "",
        "",
        "",
        "TH",
        "",
    )
    new.objects.all().delete()
    executor.loader.project_state(AFTER).apps.get_model("cases", "Case").objects.all().delete()
