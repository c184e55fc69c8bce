"""Fixtures of the geo tests: the full gazetteer once per module, or a small one."""

import pytest

from komar.geo.models import Commune, District, PlaceAlias, Province, Village
from komar.geo.services import gazetteer_load
from komar.geo.tests.fixtures import small_gazetteer  # noqa: F401  (a fixture)


@pytest.fixture(scope="module")
def gazetteer(django_db_setup, django_db_blocker):
    """Load all 16,465 units once for the module (about 4 s) and remove them after.

    The rows are committed outside the tests' transactions, so each test sees them and
    rolls back only its own changes; the module's teardown deletes them so that other
    apps' tests start from an empty gazetteer.
    """
    with django_db_blocker.unblock():
        counts = gazetteer_load()
    yield counts
    with django_db_blocker.unblock():
        for model in (PlaceAlias, Village, Commune, District, Province):
            model.objects.all().delete()
