"""The children API: who may do what, what is audited, what is refused, and search."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from komar.accounts.roles import Role
from komar.api.tests.helpers import api_as, make_records
from komar.audit.models import AuditAction, AuditEvent
from komar.children.models import Child, ConsentRecord, Guardian
from komar.children.tests.factories import ChildFactory
from komar.geo.tests.fixtures import VILLAGE_OU_THUM, VILLAGE_PHUM_1

LIST = "/api/v1/children/"
MISSING_ID = "00000000-0000-4000-8000-000000000000"


def detail(child_id: object) -> str:
    return f"/api/v1/children/{child_id}/"


def audit(child_id: object) -> str:
    return f"/api/v1/children/{child_id}/audit/"


@pytest.fixture
def records(world):
    return make_records(world)


def _events(child: Child, action: str | None = None):
    events = AuditEvent.objects.filter(object_type="children.child", object_id=str(child.pk))
    return events.filter(action=action) if action else events


VALID_CHILD = {
    "name_km": "សុខ សុធា",
    "family_name": "Sok",
    "given_name": "Sothea",
    "sex": "female",
    "birth_year": 2012,
    "village_code": VILLAGE_OU_THUM,
    "languages": ["km"],
    "consent_services": True,
    "guardians": [{"name": "Mother", "relationship": "mother", "phone": "012 345 678"}],
}


# --- Permission matrix: komar/children/tests/test_permission_matrix.py (literal tables) ---


@pytest.mark.parametrize("role", Role.values)
def test_missing_child_is_404_for_everyone(world, role) -> None:
    client = api_as(world.user(role))
    assert client.get(detail(MISSING_ID)).status_code == 404
    assert client.patch(detail(MISSING_ID), {}, format="json").status_code == 404
    assert client.get(audit(MISSING_ID)).status_code == 404


@pytest.mark.parametrize("child_id", ["not-a-uuid", "1", "%00", "' OR 1=1 --"])
def test_malformed_id_is_a_json_404(world, child_id) -> None:
    response = api_as(world.user(Role.SUPERVISOR)).get(detail(child_id))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_anonymous_gets_401(world, records) -> None:
    client = api_as()
    assert client.get(LIST).status_code == 401
    assert client.get(detail(records.children["own_team"].pk)).status_code == 401
    assert client.post(LIST, VALID_CHILD, format="json").status_code == 401


# --- Audit ---------------------------------------------------------------------------


def test_detail_writes_exactly_one_view_event(world, records) -> None:
    # Given a case worker and their child
    user = world.user(Role.CASE_WORKER)
    child = records.children["own_team"]
    before = AuditEvent.objects.count()

    # When they read the record through the API
    response = api_as(user).get(detail(child.pk), REMOTE_ADDR="10.1.2.3")

    # Then exactly one event records who, what, which record, from where
    assert response.status_code == 200
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert event.actor == user
    assert event.actor_username == "case_worker"
    assert event.action == AuditAction.VIEW
    assert (event.object_type, event.object_id) == ("children.child", str(child.pk))
    assert event.ip == "10.1.2.3"
    assert event.channel == "api"


def test_list_and_search_write_one_event_each_and_no_view_event(world, records) -> None:
    before = set(AuditEvent.objects.values_list("id", flat=True))
    client = api_as(world.user(Role.ADMINISTRATOR))
    assert client.get(LIST).json()["count"] == 2
    assert client.get(LIST, {"search": "Chan", "sex": "female"}).status_code == 200
    new = AuditEvent.objects.exclude(id__in=before).order_by("id")
    assert [(e.action, e.object_type, e.changes) for e in new] == [
        ("listed", "children.child", {"filters": {}, "count": 2}),
        ("searched", "children.child", {"filters": {"search": True, "sex": "female"}, "count": 2}),
    ]


def test_refused_reads_are_audited_as_refused_and_nothing_else(world, records) -> None:
    before = set(AuditEvent.objects.values_list("id", flat=True))
    hidden = records.children["other_team"]
    assert api_as(world.user(Role.CASE_WORKER)).get(detail(hidden.pk)).status_code == 404
    # A lawyer sees the child but may not change it: no view, no change is left behind.
    assert (
        api_as(world.user(Role.LAWYER))
        .patch(detail(records.children["own_team"].pk), {"given_name": "X"}, format="json")
        .status_code
        == 403
    )
    new = AuditEvent.objects.exclude(id__in=before)
    assert list(new.values_list("action", "object_id", "actor_username")) == [
        ("refused", str(hidden.pk), "case_worker")
    ]


def test_patch_audits_the_change_without_the_name(world, records) -> None:
    # Given a child whose family name and sex are changed
    user = world.user(Role.CASE_WORKER)
    child = records.children["own_team"]
    before = set(_events(child).values_list("id", flat=True))

    response = api_as(user).patch(
        detail(child.pk), {"family_name": "Chea", "sex": "male"}, format="json"
    )

    # Then one change event: old and new sex, only "changed" for the name
    assert response.status_code == 200
    assert response.json()["family_name"] == "Chea"
    new = _events(child).exclude(id__in=before)
    update = new.get(action=AuditAction.UPDATE)
    assert update.actor == user
    assert update.changes == {
        "family_name": {"changed": True},
        "sex": {"old": "female", "new": "male"},
    }
    assert "Chea" not in json.dumps(update.changes)
    assert "Chan" not in json.dumps(update.changes)
    # The answer shows the record, so the read is audited too: one view, one change.
    assert sorted(new.values_list("action", flat=True)) == ["update", "view"]


def test_invalid_patch_changes_and_audits_nothing(world, records) -> None:
    child = records.children["own_team"]
    before = AuditEvent.objects.count()
    response = api_as(world.user(Role.CASE_WORKER)).patch(
        detail(child.pk), {"family_name": "Chea", "village_code": "99999999"}, format="json"
    )
    assert response.status_code == 400
    child.refresh_from_db()
    assert child.family_name == "Chan"
    assert AuditEvent.objects.count() == before


def test_audit_endpoint_lists_the_events(world, records) -> None:
    child = records.children["own_team"]
    api_as(world.user(Role.CASE_WORKER)).get(detail(child.pk), REMOTE_ADDR="10.1.2.3")

    response = api_as(world.user(Role.SUPERVISOR)).get(audit(child.pk))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3  # registered, viewed, then this history read
    history, view, create = body["results"]
    assert (history["action"], history["changes"]) == ("view", {"purpose": "history"})
    assert view["actor"] == "case_worker"
    assert view["action"] == "view"
    assert view["ip"] == "10.1.2.3"
    assert view["channel"] == "api"
    assert view["object_id"] == str(child.pk)
    assert set(view) == {
        "id",
        "at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "changes",
        "ip",
        "channel",
    }
    assert create["action"] == "create"


def test_audit_endpoint_is_forbidden_to_a_case_worker(world, records) -> None:
    response = api_as(world.user(Role.CASE_WORKER)).get(audit(records.children["own_team"].pk))
    assert response.status_code == 403
    assert "detail" in response.json()


# --- Registering and validation ----------------------------------------------------------


def test_register_returns_the_record(world) -> None:
    user = world.user(Role.CASE_WORKER)
    response = api_as(user).post(LIST, VALID_CHILD, format="json")
    assert response.status_code == 201
    body = response.json()
    child = Child.objects.get()
    assert body["id"] == str(child.pk)
    assert body["name_km"] == "សុខ សុធា"
    assert body["village_code"] == VILLAGE_OU_THUM
    assert body["dob_precision"] == "year"
    assert body["consent_services"] is True
    assert body["consents"] == [
        {
            "kind": "services",
            "granted": True,
            "recorded_at": body["consents"][0]["recorded_at"],
            "recorded_by": "case_worker",
        }
    ]
    assert body["guardians"] == [
        {
            "name": "Mother",
            "relationship": "mother",
            "phone": "012 345 678",
            "is_primary_contact": False,
        }
    ]
    assert "age_at_intake" not in body
    assert _events(child, AuditAction.CREATE).count() == 1


def test_age_at_intake_is_write_only(world) -> None:
    response = api_as(world.user(Role.CASE_WORKER)).post(
        LIST, {"given_name": "Dara", "age_at_intake": 12}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["birth_year"] == timezone.localdate().year - 12
    assert response.json()["dob_precision"] == "age"


def test_khmer_digits_are_numbers(world) -> None:
    client = api_as(world.user(Role.CASE_WORKER))
    by_year = client.post(LIST, {"given_name": "Dara", "birth_year": "២០១២"}, format="json")
    assert by_year.status_code == 201
    assert by_year.json()["birth_year"] == 2012
    by_date = client.post(
        LIST, {"given_name": "Vanna", "date_of_birth": "២០១១-០៣-០៤"}, format="json"
    )
    assert by_date.status_code == 201
    assert by_date.json()["date_of_birth"] == "2011-03-04"
    assert by_date.json()["dob_precision"] == "exact"


def test_html_is_stored_verbatim_and_returned_as_text(world) -> None:
    script = "<script>alert(1)</script>"
    client = api_as(world.user(Role.CASE_WORKER))
    response = client.post(LIST, {"family_name": script}, format="json")
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    assert Child.objects.get().family_name == script
    again = client.get(detail(response.json()["id"]))
    assert again.json()["family_name"] == script


def test_name_of_100_characters_is_accepted(world) -> None:
    response = api_as(world.user(Role.CASE_WORKER)).post(
        LIST, {"family_name": "a" * 100}, format="json"
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**VALID_CHILD, "village_code": "99999999"}, "village_code"),
        (
            {
                **VALID_CHILD,
                "birth_year": None,
                "date_of_birth": str(timezone.localdate() + timedelta(days=1)),
            },
            "date_of_birth",
        ),
        ({**VALID_CHILD, "family_name": "a" * 101}, "family_name"),
        ({**VALID_CHILD, "sex": "f"}, "sex"),
        ({**VALID_CHILD, "nationality": "Cambodia"}, "nationality"),
        ({**VALID_CHILD, "languages": ["klingon"]}, "languages"),
        ({**VALID_CHILD, "name_km": "Sok"}, "name_km"),
        ({**VALID_CHILD, "aliases": ["a"] * 11}, "aliases"),
        ({**VALID_CHILD, "birth_year": 3000}, "birth_year"),
        ({**VALID_CHILD, "birth_year": 2012, "age_at_intake": 12}, "date_of_birth"),
        ({**VALID_CHILD, "age_at_intake": -1, "birth_year": None}, "age_at_intake"),
        ({"sex": "female"}, "name_km"),
    ],
)
def test_service_rules_answer_400_by_field(world, body, field) -> None:
    body = {k: v for k, v in body.items() if v is not None}
    response = api_as(world.user(Role.CASE_WORKER)).post(LIST, body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Child.objects.count() == 0


def test_over_long_family_name_names_the_limit(world) -> None:
    response = api_as(world.user(Role.CASE_WORKER)).post(
        LIST, {"family_name": "a" * 101}, format="json"
    )
    assert response.json() == {"family_name": ["Use at most 100 characters (it has 101)."]}


def test_future_date_of_birth_message(world) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = api_as(world.user(Role.CASE_WORKER)).post(
        LIST, {"given_name": "Dara", "date_of_birth": tomorrow.isoformat()}, format="json"
    )
    assert response.json() == {"date_of_birth": ["The date of birth cannot be in the future."]}


def test_unknown_village_message(world) -> None:
    response = api_as(world.user(Role.CASE_WORKER)).post(
        LIST, {"given_name": "Dara", "village_code": "99999999"}, format="json"
    )
    assert response.json() == {"village_code": ["Unknown village code."]}


def test_nothing_is_half_saved(world) -> None:
    # Given a valid child with one bad guardian
    body = {
        **VALID_CHILD,
        "guardians": [*VALID_CHILD["guardians"], {"name": "X", "relationship": "boss"}],
    }
    before = (
        Child.objects.count(),
        Guardian.objects.count(),
        ConsentRecord.objects.count(),
        AuditEvent.objects.count(),
    )

    response = api_as(world.user(Role.CASE_WORKER)).post(LIST, body, format="json")

    # Then nothing at all is written
    assert response.status_code == 400
    assert "guardians" in response.json()
    after = (
        Child.objects.count(),
        Guardian.objects.count(),
        ConsentRecord.objects.count(),
        AuditEvent.objects.count(),
    )
    assert after == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"family_name": ["Sok"]}, "family_name"),
        ({"family_name": {"a": 1}}, "family_name"),
        ({"family_name": None}, "family_name"),
        ({"family_name": "a\x00b"}, "family_name"),
        ({"aliases": "Sok"}, "aliases"),
        ({"aliases": [None]}, "aliases"),
        ({"aliases": [["x"]]}, "aliases"),
        ({"languages": {"km": True}}, "languages"),
        ({"birth_year": "abc"}, "birth_year"),
        ({"birth_year": "2012.5"}, "birth_year"),
        ({"birth_year": 10**30}, "birth_year"),
        ({"birth_year": True}, "birth_year"),
        ({"birth_year": [2012]}, "birth_year"),
        ({"date_of_birth": "2012-13-45"}, "date_of_birth"),
        ({"date_of_birth": "04/03/2012"}, "date_of_birth"),
        ({"date_of_birth": 20120304}, "date_of_birth"),
        ({"date_of_birth": None}, "date_of_birth"),
        ({"consent_services": "perhaps"}, "consent_services"),
        ({"consent_services": None}, "consent_services"),
        ({"guardians": "mother"}, "guardians"),
        ({"guardians": None}, "guardians"),
        ({"guardians": [None]}, "guardians"),
        ({"guardians": ["Mother"]}, "guardians"),
        ({"guardians": [{"name": "Mother"}]}, "guardians"),
        ({"guardians": [{"name": "M", "relationship": "mother", "email": "x"}]}, "guardians"),
        ({"consent_service": True}, "consent_service"),
        ({"id": MISSING_ID}, "id"),
        ({"dob_precision": "exact"}, "dob_precision"),
        ({"consents": []}, "consents"),
    ],
)
def test_wrong_types_answer_400_never_500(world, body, field) -> None:
    client = api_as(world.user(Role.CASE_WORKER))
    response = client.post(LIST, {"given_name": "Dara", **body}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Child.objects.count() == 0


def test_unknown_field_is_named(world) -> None:
    response = api_as(world.user(Role.CASE_WORKER)).post(
        LIST, {"given_name": "Dara", "consent_service": True}, format="json"
    )
    assert response.json() == {"consent_service": ["Unknown field."]}


@pytest.mark.parametrize(
    "raw", ["{not json", "[1, 2]", '"Sok"', "null", "42", '{"given_name": "Dara",}', ""]
)
def test_bodies_that_are_not_objects_answer_400(world, raw) -> None:
    response = api_as(world.user(Role.CASE_WORKER)).post(LIST, raw, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert Child.objects.count() == 0


def test_guardian_phone_in_khmer_digits_is_stored_in_ascii(world) -> None:
    body = {
        "given_name": "Dara",
        "guardians": [{"name": "Mother", "relationship": "mother", "phone": "០១២ ៣៤៥ ៦៧៨"}],
    }
    response = api_as(world.user(Role.CASE_WORKER)).post(LIST, body, format="json")
    assert response.status_code == 201
    assert response.json()["guardians"][0]["phone"] == "012 345 678"


def test_patch_changes_only_what_is_given(world, records) -> None:
    child = records.children["own_team"]
    response = api_as(world.user(Role.CASE_WORKER)).patch(
        detail(child.pk), {"consent_tracing": True, "village_code": VILLAGE_PHUM_1}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["consent_tracing"] is True
    assert body["village_code"] == VILLAGE_PHUM_1
    assert body["family_name"] == "Chan"
    assert body["birth_year"] == 2012
    assert [c["kind"] for c in body["consents"]] == ["tracing"]


def test_patch_cannot_remove_every_name(world, records) -> None:
    child = records.children["own_team"]
    response = api_as(world.user(Role.CASE_WORKER)).patch(
        detail(child.pk), {"family_name": "", "given_name": ""}, format="json"
    )
    assert response.status_code == 400
    assert "name_km" in response.json()


# --- Search -----------------------------------------------------------------------------


@pytest.fixture
def named_children(world):
    user = world.user(Role.CASE_WORKER)
    return {
        "sok": ChildFactory(actor=user, family_name="Sok", given_name="Dara", name_km="សុខ ដារា"),
        "chan": ChildFactory(
            actor=user, family_name="Chan", given_name="Vanna", name_km="ចាន់ វណ្ណា"
        ),
        # Same name, another organisation: never found by this user
        "hidden": ChildFactory(
            actor=world.user("other_case_worker"), family_name="Sok", given_name="Dara"
        ),
    }


def _search(world, **params):
    response = api_as(world.user(Role.CASE_WORKER)).get(LIST, params)
    assert response.status_code == 200
    return [c["id"] for c in response.json()["results"]]


@pytest.mark.parametrize(
    "query", ["Sok", "Sokh", "sok dara", "SOKH Daraa", "សុខ", "សុ\u200bខ", "សុខ\u200bដារា", "សុខដារា"]
)
def test_search_finds_any_spelling(world, named_children, query) -> None:
    assert _search(world, search=query) == [str(named_children["sok"].pk)]


def test_search_finds_a_name_stored_with_a_zero_width_space(world) -> None:
    child = ChildFactory(actor=world.user(Role.CASE_WORKER), name_km="សុ\u200bខា", family_name="")
    assert _search(world, search="សុខា") == [str(child.pk)]


def test_search_with_no_match_is_empty(world, named_children) -> None:
    assert _search(world, search="Bopha") == []


def test_filters(world, named_children) -> None:
    user = world.user(Role.CASE_WORKER)
    boy = ChildFactory(
        actor=user, given_name="Rithy", sex="male", birth_year=2010, village_code=VILLAGE_PHUM_1
    )
    assert _search(world, sex="male") == [str(boy.pk)]
    assert _search(world, birth_year="២០១០") == [str(boy.pk)]
    assert len(_search(world, sex="female")) == 2


def test_province_filter(world, named_children) -> None:
    boy = ChildFactory(
        actor=world.user(Role.CASE_WORKER), given_name="Rithy", village_code=VILLAGE_PHUM_1
    )
    assert _search(world, province="12") == [str(boy.pk)]
    assert _search(world, province="១២") == [str(boy.pk)]
    assert _search(world, province="01") == []


@pytest.mark.parametrize(
    "params",
    [
        {"birth_year": "abc"},
        {"birth_year": str(10**30)},
        {"search": "a" * 201},
        {"search": "a\x00"},
        {"sort": "name"},
    ],
)
def test_bad_query_parameters_answer_400(world, named_children, params) -> None:
    response = api_as(world.user(Role.CASE_WORKER)).get(LIST, params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_pages(world, named_children) -> None:
    client = api_as(world.user(Role.CASE_WORKER))
    first = client.get(LIST, {"limit": 1}).json()
    assert first["count"] == 2
    assert len(first["results"]) == 1
    assert "offset=1" in first["next"]
    assert len(client.get(LIST, {"limit": 10**9}).json()["results"]) == 2
    assert client.get(LIST, {"offset": 10**30}).json()["results"] == []
