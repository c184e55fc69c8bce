import re
from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured

from komar.accounts.models import Organisation, OrganisationType, Team, User
from komar.accounts.roles import Role
from komar.audit.models import AuditEvent
from komar.cases.models import Case, CaseExploitation, Screening
from komar.cases.screening import screening_decide
from komar.children import common_names as names
from komar.children.models import Child, ChildNameKey, ConsentKind, ConsentRecord, NameSpelling
from komar.children.search import child_name_keys, children_matching
from komar.core.crypto import index_digest, index_key_id
from komar.core.khmer import SUBSCRIPT_DA, SUBSCRIPT_TA, latin_search_key, normalize_khmer
from komar.demo.generator import generate
from komar.geo.tests.fixtures import load_small_gazetteer

pytestmark = pytest.mark.django_db

FAMILY_BY_KHMER = {normalize_khmer(km): variants for km, variants in names.FAMILY_NAMES}


@pytest.fixture
def org_users() -> tuple[Organisation, list[User]]:
    load_small_gazetteer()
    org = Organisation.objects.create(name="Generator NGO", type=OrganisationType.NGO)
    team = Team.objects.create(organisation=org, name="Office")
    users = [
        User.objects.create(username="gen_cw", role=Role.CASE_WORKER, organisation=org, team=team),
        User.objects.create(username="gen_sup", role=Role.SUPERVISOR, organisation=org, team=team),
    ]
    return org, users


@pytest.fixture
def generated(org_users) -> tuple[Organisation, list[User], dict]:
    org, users = org_users
    result = generate(children=50, seed=5, organisation=org, users=users, batch_size=20)
    return org, users, result


def test_creates_the_children_each_with_a_case(generated):
    org, users, result = generated

    assert Child.objects.filter(organisation=org).count() == 50
    assert result["children"] == 50
    assert result["cases"] == 50
    assert not Child.objects.filter(cases__isnull=True).exists()
    assert Case.objects.filter(organisation=org).count() == 50
    assert set(Case.objects.values_list("assigned_to", flat=True)) <= {u.pk for u in users}


def test_each_case_screening_is_what_the_rule_decides(generated):
    for case in Case.objects.prefetch_related("screenings", "exploitations"):
        [screening] = case.screenings.all()
        outcome = screening_decide(
            acts=screening.acts,
            means=screening.means,
            exploitation_types=screening.exploitation_types,
            age_at_act=screening.age_at_act,
        )
        assert case.screening_result == outcome.result
        assert screening.result == outcome.result
        assert screening.treated_as_child == outcome.treated_as_child
        assert {e.type for e in case.exploitations.all()} == set(screening.exploitation_types)


def test_screening_places_follow_the_service_rules(generated):
    for screening in Screening.objects.all():
        if screening.exploitation_place_code:
            assert screening.exploitation_country == "KH"
        if screening.recruitment_place_code:
            assert screening.recruitment_country == "KH"


def test_case_numbers_are_unique_per_year_sequences(generated):
    numbers = list(Case.objects.values_list("number", "intake_date"))

    assert len({n for n, _ in numbers}) == 50
    for number, intake in numbers:
        assert re.fullmatch(r"\d{4}-\d{5}", number)
        assert number.startswith(f"{intake.year}-")


def test_a_second_run_continues_the_case_numbers(generated):
    org, users, _ = generated

    generate(children=30, seed=6, organisation=org, users=users)

    numbers = list(Case.objects.filter(organisation=org).values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 80
    by_year = Counter(n.split("-")[0] for n in numbers)
    for year, count in by_year.items():
        seqs = sorted(int(n.split("-")[1]) for n in numbers if n.startswith(f"{year}-"))
        assert seqs == list(range(1, count + 1))


def test_consent_records_match_the_consents(generated):
    for child in Child.objects.all():
        for kind in ConsentKind.values:
            latest = ConsentRecord.objects.filter(child=child, kind=kind).first()
            assert latest is not None
            assert latest.granted == child.consent(kind)
            assert latest.recorded_by_id == child.registered_by_id


def test_guardians_are_zero_to_two(generated):
    counts = Counter(Child.objects.values_list("guardians__child", flat=True))
    per_child = [counts.get(pk, 0) for pk in Child.objects.values_list("pk", flat=True)]

    assert all(0 <= n <= 2 for n in per_child)


def test_name_index_is_what_the_service_builds(generated):
    for child in Child.objects.all():
        keys = child_name_keys(child)
        rows = ChildNameKey.objects.filter(child=child)
        assert set(rows.values_list("digest", flat=True)) == {index_digest(k) for k in keys}
        assert set(rows.values_list("key_id", flat=True)) == {index_key_id()}
        assert NameSpelling.objects.filter(key__in=keys).count() == len(keys)


def test_name_index_rows_have_random_ids_in_random_order(generated):
    from django.db import connection

    order = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, child_id, digest FROM children_childnamekey ORDER BY {order}")  # noqa: S608
        rows = cursor.fetchall()
    ids = [i for i, _, _ in rows]

    # Ids are random 63-bit numbers, not a sequence in the order rows were written
    assert len(set(ids)) == len(ids) > 200
    assert all(0 < i < 2**63 for i in ids)
    assert ids != sorted(ids)
    assert max(ids) > 2**40
    # and no child's digests lie in the order of its names
    key_order = {
        str(Child._meta.pk.get_db_prep_value(c.pk, connection)): [
            index_digest(k) for k in child_name_keys(c)
        ]
        for c in Child.objects.all()
    }
    written: dict[str, list[str]] = {}
    for _, child, digest in rows:
        written.setdefault(str(child), []).append(digest)
    in_name_order = sum(written[c] == key_order[c] for c in written)
    assert in_name_order < len(written) / 2


def test_identifying_fields_are_encrypted_at_rest(generated):
    from django.db import connection

    # Encrypted columns cannot be filtered in the database: pick in Python.
    child = next(c for c in Child.objects.all() if c.family_name)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT family_name FROM children_child WHERE id = %s",
            [Child._meta.pk.get_db_prep_value(child.pk, connection)],
        )
        [stored] = cursor.fetchone()

    assert child.family_name
    assert child.family_name not in stored


def test_finds_a_child_by_another_spelling_of_the_family_name(generated):
    # Given a child whose family name has another romanisation in the bank
    child, other = next(
        (c, v)
        for c in Child.objects.all()
        if c.family_name and c.name_km
        for v in FAMILY_BY_KHMER[c.name_km.split()[0]]
        if v != c.family_name and latin_search_key(v) == latin_search_key(c.family_name)
    )

    # When searching by that other spelling
    found = children_matching(Child.objects.all(), other)

    # Then the child is found
    assert child in found


def test_finds_a_child_by_the_khmer_name(generated):
    child = next(c for c in Child.objects.all() if c.name_km)

    assert child in children_matching(Child.objects.all(), child.name_km)
    assert child in children_matching(Child.objects.all(), child.name_km.replace(" ", ""))


def test_finds_a_subscript_ta_name_written_with_subscript_da(org_users):
    org, users = org_users
    generate(children=300, seed=8, organisation=org, users=users)
    child = next(c for c in Child.objects.all() if SUBSCRIPT_TA in c.name_km)

    query = child.name_km.replace(SUBSCRIPT_TA, SUBSCRIPT_DA)

    assert child in children_matching(Child.objects.all(), query)


@time_machine.travel(datetime(2025, 6, 30, 10, 0, tzinfo=ZoneInfo("Asia/Phnom_Penh")), tick=False)
def test_the_mix_has_every_status_risk_and_adults(org_users):
    org, users = org_users
    generate(children=1000, seed=9, organisation=org, users=users)

    cases = Case.objects.all()
    assert set(cases.values_list("status", flat=True)) == {
        "intake",
        "pre_reintegration",
        "reintegration",
        "follow_up",
        "closed",
    }
    assert set(cases.values_list("risk_level", flat=True)) == {
        "not_assessed",
        "low",
        "medium",
        "high",
    }
    assert set(cases.values_list("screening_result", flat=True)) == {
        "possible_victim",
        "not_indicated",
    }
    ages = [a for a in Screening.objects.values_list("age_at_act", flat=True) if a is not None]
    assert 0 < sum(a >= 18 for a in ages) < len(ages) * 0.3
    assert sum(8 <= a <= 17 for a in ages) > len(ages) * 0.6
    assert Screening.objects.exclude(exploitation_country__in=["", "KH"]).exists()
    assert CaseExploitation.objects.filter(type="sexual_exploitation").exists()
    assert set(Child.objects.values_list("dob_precision", flat=True)) == {
        "exact",
        "year",
        "age",
        "unknown",
    }
    intake_dates = list(cases.values_list("intake_date", flat=True))
    assert max(intake_dates) <= date(2025, 6, 30)
    assert min(intake_dates) >= date(2011, 1, 1)


def test_the_same_seed_gives_the_same_children(org_users):
    org, users = org_users
    twin = Organisation.objects.create(name="Twin NGO", type=OrganisationType.NGO)
    twin_users = [
        User.objects.create(username=f"twin_{u.username}", role=u.role, organisation=twin)
        for u in users
    ]

    generate(children=40, seed=21, organisation=org, users=users, batch_size=15)
    generate(children=40, seed=21, organisation=twin, users=twin_users, batch_size=15)

    def summary(organisation):
        return sorted(
            (
                c.number,
                c.status,
                c.child.sex,
                c.child.birth_year,
                c.child.name_km,
                c.child.family_name,
            )
            for c in Case.objects.filter(organisation=organisation).select_related("child")
        )

    assert summary(org) == summary(twin)


@pytest.mark.django_db(transaction=True)
def test_workers_write_the_same_children_as_one_process():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("parallel generation runs on PostgreSQL only")
    load_small_gazetteer()
    summaries = []
    for workers, name in ((1, "Serial NGO"), (2, "Parallel NGO")):
        org = Organisation.objects.create(name=name, type=OrganisationType.NGO)
        users = [
            User.objects.create(username=f"{name}-cw", role=Role.CASE_WORKER, organisation=org)
        ]

        result = generate(
            children=30, seed=2, organisation=org, users=users, batch_size=7, workers=workers
        )

        assert result["workers"] == workers
        summaries.append(
            sorted(
                (c.number, c.status, c.child.sex, c.child.birth_year, c.child.name_km)
                for c in Case.objects.filter(organisation=org).select_related("child")
            )
        )
    assert len(summaries[0]) == 30
    assert summaries[0] == summaries[1]


def test_writes_no_audit_events(org_users):
    org, users = org_users
    before = AuditEvent.objects.count()

    generate(children=10, seed=1, organisation=org, users=users)

    assert AuditEvent.objects.count() == before


def test_refuses_when_demo_data_is_not_allowed(org_users, settings):
    org, users = org_users
    settings.KOMAR_ALLOW_DEMO_DATA = False

    with pytest.raises(ImproperlyConfigured):
        generate(children=5, seed=1, organisation=org, users=users)

    assert not Child.objects.exists()


def test_refuses_users_of_another_organisation(org_users):
    org, users = org_users
    other = Organisation.objects.create(name="Elsewhere", type=OrganisationType.NGO)

    with pytest.raises(ValueError, match="organisation"):
        generate(children=5, seed=1, organisation=other, users=users)
