"""The cases API: who may do what, what is audited, what is refused, and filters."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from komar.accounts.roles import Role
from komar.api.tests.helpers import api_as, make_records
from komar.audit.models import AuditAction, AuditEvent
from komar.cases.models import Case, CaseExploitation, Screening
from komar.cases.tests.factories import CaseFactory, ScreeningFactory
from komar.children.tests.factories import ChildFactory
from komar.geo.tests.fixtures import VILLAGE_PHUM_1

LIST = "/api/v1/cases/"
MISSING_ID = "00000000-0000-4000-8000-000000000000"
SCREENING = {"acts": ["recruitment"], "means": [], "exploitation_types": ["sexual_exploitation"]}


def detail(case_id: object) -> str:
    return f"/api/v1/cases/{case_id}/"


def audit(case_id: object) -> str:
    return f"/api/v1/cases/{case_id}/audit/"


@pytest.fixture
def records(world):
    return make_records(world)


@pytest.fixture
def fresh_child(world):
    """A child of the case worker of team A with no case yet."""
    return ChildFactory(actor=world.user(Role.CASE_WORKER), given_name="Pisey")


def _counts() -> tuple[int, int, int, int]:
    return (
        Case.objects.count(),
        Screening.objects.count(),
        CaseExploitation.objects.count(),
        AuditEvent.objects.count(),
    )


# --- Permission matrix: komar/cases/tests/test_permission_matrix.py (literal tables) ---


@pytest.mark.parametrize("role", Role.values)
def test_missing_case_is_404_for_everyone(world, role) -> None:
    client = api_as(world.user(role))
    assert client.get(detail(MISSING_ID)).status_code == 404
    assert client.patch(detail(MISSING_ID), {}, format="json").status_code == 404
    assert client.get(audit(MISSING_ID)).status_code == 404


# --- Audit ----------------------------------------------------------------------------


def test_detail_writes_exactly_one_view_event(world, records) -> None:
    user = world.user(Role.CASE_WORKER)
    case = records.cases["own_team"]
    before = AuditEvent.objects.count()

    response = api_as(user).get(detail(case.pk), REMOTE_ADDR="10.1.2.3")

    assert response.status_code == 200
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert event.actor == user
    assert event.action == AuditAction.VIEW
    assert (event.object_type, event.object_id) == ("cases.case", str(case.pk))
    assert event.ip == "10.1.2.3"
    assert event.channel == "api"


def test_a_list_writes_one_list_event_and_no_view_event(world, records) -> None:
    before = set(AuditEvent.objects.values_list("id", flat=True))
    assert (
        api_as(world.user(Role.ADMINISTRATOR)).get(LIST, {"status": "intake"}).json()["count"] == 2
    )
    new = AuditEvent.objects.exclude(id__in=before)
    assert list(new.values_list("action", "object_type", "object_id", "changes")) == [
        ("listed", "cases.case", "", {"filters": {"status": "intake"}, "count": 2})
    ]


def test_a_name_search_is_audited_without_the_name(world, records) -> None:
    before = set(AuditEvent.objects.values_list("id", flat=True))
    client = api_as(world.user(Role.ADMINISTRATOR))
    assert client.get(LIST, {"search": "Sokha", "risk_level": "high"}).status_code == 200
    event = AuditEvent.objects.exclude(id__in=before).get()
    assert event.action == "searched"
    assert event.changes == {"filters": {"risk_level": "high", "search": True}, "count": 0}
    assert "Sokha" not in str(event.changes)


def test_patch_audits_old_and_new_status(world, records) -> None:
    user = world.user(Role.CASE_WORKER)
    case = records.cases["own_team"]
    last = AuditEvent.objects.latest("id").pk

    response = api_as(user).patch(detail(case.pk), {"status": "pre_reintegration"}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "pre_reintegration"
    new = AuditEvent.objects.filter(pk__gt=last, object_type="cases.case", object_id=str(case.pk))
    update = new.get(action=AuditAction.UPDATE)
    assert update.actor == user
    assert update.changes == {"status": {"old": "intake", "new": "pre_reintegration"}}
    assert sorted(new.values_list("action", flat=True)) == ["update", "view"]


def test_invalid_patch_changes_and_audits_nothing(world, records) -> None:
    case = records.cases["own_team"]
    before = _counts()
    response = api_as(world.user(Role.CASE_WORKER)).patch(
        detail(case.pk), {"status": "closed", "screening": {"acts": ["kidnap"]}}, format="json"
    )
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == "intake"
    assert _counts() == before


def test_audit_endpoint_includes_screenings(world, records) -> None:
    case = records.cases["own_team"]
    response = api_as(world.user(Role.SUPERVISOR)).get(audit(case.pk))
    assert response.status_code == 200
    events = [(e["action"], e["object_type"]) for e in response.json()["results"]]
    # The history read itself comes first (newest), then what happened to the case.
    assert events[0] == ("view", "cases.case")
    assert response.json()["results"][0]["changes"] == {"purpose": "history"}
    assert sorted(events[1:]) == [("create", "cases.case"), ("create", "cases.screening")]


def test_audit_endpoint_is_forbidden_to_a_case_worker(world, records) -> None:
    response = api_as(world.user(Role.CASE_WORKER)).get(audit(records.cases["own_team"].pk))
    assert response.status_code == 403


# --- Opening and validation -------------------------------------------------------------


def test_open_returns_the_case_with_its_screening(world, fresh_child) -> None:
    user = world.user(Role.CASE_WORKER)
    child = fresh_child
    response = api_as(user).post(
        LIST,
        {
            "child": str(child.pk),
            "intake_source": "hotline",
            "intake_date": "២០២៤-០១-១៥",
            "risk_level": "medium",
            "screening": {
                **SCREENING,
                "recruitment_village_code": VILLAGE_PHUM_1,
                "age_at_act": "១៥",
            },
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    case = Case.objects.get(pk=body["id"])
    assert body["number"] == case.number
    assert body["child"] == str(child.pk)
    assert body["intake_date"] == "2024-01-15"
    assert body["assigned_to"] == user.pk
    assert body["status"] == "intake"
    assert body["risk_level"] == "medium"
    assert body["screening_result"] == "possible_victim"
    assert body["formal_identification_date"] is None
    screening = body["screening"]
    assert screening["acts"] == ["recruitment"]
    assert screening["exploitation_types"] == ["sexual_exploitation"]
    assert screening["recruitment_village_code"] == VILLAGE_PHUM_1
    assert screening["recruitment_country"] == "KH"
    assert screening["age_at_act"] == 15
    assert screening["treated_as_child"] is True
    assert screening["result"] == "possible_victim"
    assert {"screened_at", "opened_at"} <= set(screening) | set(body)


def test_open_without_screening(world, fresh_child) -> None:
    response = api_as(world.user(Role.CASE_WORKER)).post(
        LIST,
        {"child": str(fresh_child.pk), "intake_source": "self"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["screening"] is None
    assert response.json()["screening_result"] == "not_screened"


def test_invisible_child_is_refused_like_a_missing_one(world, records) -> None:
    client = api_as(world.user(Role.CASE_WORKER))
    before = _counts()
    hidden = client.post(
        LIST,
        {"child": str(records.children["other_org"].pk), "intake_source": "hotline"},
        format="json",
    )
    missing = client.post(LIST, {"child": MISSING_ID, "intake_source": "hotline"}, format="json")
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json() == missing.json() == {"child": ["Unknown child."]}
    # Nothing is written but the two refusals, which name what was asked for.
    cases, screenings, exploitations, events = _counts()
    assert (cases, screenings, exploitations, events - 2) == before
    refused = AuditEvent.objects.order_by("-id")[:2]
    assert sorted((e.action, e.object_type, e.object_id) for e in refused) == sorted(
        [
            ("refused", "children.child", str(records.children["other_org"].pk)),
            ("refused", "children.child", MISSING_ID),
        ]
    )


def test_bad_screening_codes_are_nested_under_screening(world, records) -> None:
    before = _counts()
    response = api_as(world.user(Role.CASE_WORKER)).post(
        LIST,
        {
            "child": str(records.children["own_team"].pk),
            "intake_source": "hotline",
            "screening": {
                "acts": ["kidnapping"],
                "means": ["fraud"],
                "exploitation_types": ["begging"],
            },
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "screening": {
            "acts": ["Choose values from the list."],
            "exploitation_types": ["Choose values from the list."],
        }
    }
    assert _counts() == before


def test_case_and_screening_errors_come_together(world, fresh_child) -> None:
    response = api_as(world.user(Role.CASE_WORKER)).post(
        LIST,
        {
            "child": str(fresh_child.pk),
            "intake_source": "fax",
            "intake_date": (timezone.localdate() + timedelta(days=1)).isoformat(),
            "screening": {"recruitment_country": "ZZ", "age_at_act": 200},
        },
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"intake_source", "intake_date", "screening"}
    # The screening found nothing either: refused as a whole as well.
    assert set(body["screening"]) == {"recruitment_country", "age_at_act", "non_field_errors"}


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"child": "not-a-uuid"}, {"child"}),
        ({"child": None}, {"child"}),
        ({"child": ["x"]}, {"child"}),
        ({"intake_source": ["hotline"]}, {"intake_source"}),
        ({"intake_date": "yesterday"}, {"intake_date"}),
        ({"assigned_to": "abc"}, {"assigned_to"}),
        ({"assigned_to": 10**30}, {"assigned_to"}),
        ({"assigned_to": None}, {"assigned_to"}),
        ({"screening": "recruitment"}, {"screening"}),
        ({"screening": None}, {"screening"}),
        ({"screening": ["recruitment"]}, {"screening"}),
        ({"status": "closed"}, {"status"}),  # not given when opening
        ({"number": "2024-00001"}, {"number"}),
        ({"colour": "red"}, {"colour"}),
    ],
)
def test_open_with_wrong_types_answers_400(world, records, body, errors) -> None:
    before = _counts()
    full = {"child": str(records.children["own_team"].pk), "intake_source": "hotline", **body}
    response = api_as(world.user(Role.CASE_WORKER)).post(LIST, full, format="json")
    assert response.status_code == 400
    assert set(response.json()) == errors
    assert _counts() == before


@pytest.mark.parametrize(
    ("screening", "field"),
    [
        ({"acts": "recruitment"}, "acts"),
        ({"acts": [None]}, "acts"),
        ({"acts": [{"a": 1}]}, "acts"),
        ({"means": {"fraud": True}}, "means"),
        ({"age_at_act": "fifteen"}, "age_at_act"),
        ({"age_at_act": 10**30}, "age_at_act"),
        ({"recruitment_village_code": ["12010101"]}, "recruitment_village_code"),
        ({"recruitment_village_code": "99999999"}, "recruitment_place_code"),
        ({"indicators": ["deception", "mind_control"]}, "indicators"),
        ({"methods_of_control": ["debt_bondage", 7]}, "methods_of_control"),
        ({"recruitment_method": "telepathy"}, "recruitment_method"),
        ({"acts": ["recruitment"], "result": "possible_victim"}, "result"),
        ({"notes": "x" * 5001}, "notes"),
    ],
)
def test_screening_errors_are_nested(world, records, screening, field) -> None:
    before = _counts()
    response = api_as(world.user(Role.CASE_WORKER)).post(
        LIST,
        {
            "child": str(records.children["own_team"].pk),
            "intake_source": "hotline",
            "screening": screening,
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["screening"]
    assert field in response.json()["screening"]
    assert _counts() == before


def test_assigning_a_worker_of_another_team_is_refused(world, records) -> None:
    response = api_as(world.user(Role.SUPERVISOR)).post(
        LIST,
        {
            "child": str(records.children["own_team"].pk),
            "intake_source": "hotline",
            "assigned_to": world.user("case_worker_b").pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["assigned_to"]


def test_supervisor_assigns_a_worker_of_the_team(world, fresh_child) -> None:
    worker = world.user("case_worker_a2")
    response = api_as(world.user(Role.SUPERVISOR)).post(
        LIST,
        {
            "child": str(fresh_child.pk),
            "intake_source": "hotline",
            "assigned_to": worker.pk,
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["assigned_to"] == worker.pk


@pytest.mark.parametrize("raw", ["{not json", "[]", "null", '"case"'])
def test_bodies_that_are_not_objects_answer_400(world, raw) -> None:
    response = api_as(world.user(Role.CASE_WORKER)).post(LIST, raw, content_type="application/json")
    assert response.status_code == 400
    assert Case.objects.count() == 0


# --- Changing and screening again ---------------------------------------------------------


def test_patch_records_a_new_screening(world, records) -> None:
    case = records.cases["own_team"]
    response = api_as(world.user(Role.CASE_WORKER)).patch(
        detail(case.pk),
        {
            "screening": {
                "acts": ["recruitment"],
                "exploitation_types": [],
                "indicators": ["deception"],
            },
            "confirm_result_change": True,
            "reason": "The job offer turned out to be real; no exploitation.",
        },
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["screening_result"] == "not_indicated"
    assert body["screening"]["result"] == "not_indicated"
    assert body["screening"]["indicators"] == ["deception"]
    assert case.screenings.count() == 2
    assert case.screenings.first().change_reason.startswith("The job offer")


# --- Re-screening that would change the result, or that finds nothing --------------------

DOWNGRADE = {"screening": {"acts": ["recruitment"], "indicators": ["deception"]}}


def _unchanged(case) -> tuple[object, ...]:
    case.refresh_from_db()
    return (
        case.screening_result,
        case.screenings.count(),
        AuditEvent.objects.filter(object_type="cases.case", action="update").count(),
    )


def test_an_empty_screening_is_refused_and_changes_nothing(world, records) -> None:
    case = records.cases["own_team"]
    before = _unchanged(case)
    response = api_as(world.user(Role.CASE_WORKER)).patch(
        detail(case.pk), {"screening": {}}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "screening": [
            "Tick what the screening found: at least one act, means, type of "
            "exploitation, method of control or indicator."
        ]
    }
    assert _unchanged(case) == before


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"confirm_result_change": True},
        {"reason": "Because."},
        {"confirm_result_change": False, "reason": "x"},
    ],
)
def test_a_result_change_needs_confirmation_and_a_reason(world, records, extra) -> None:
    case = records.cases["own_team"]
    before = _unchanged(case)
    response = api_as(world.user(Role.CASE_WORKER)).patch(
        detail(case.pk), {**DOWNGRADE, **extra}, format="json"
    )
    assert response.status_code == 409
    assert response.json() == {
        "code": "result_change_unconfirmed",
        "detail": "This screening changes the result from “Possible victim of trafficking” "
        "to “Trafficking not indicated”. Confirm the change and give the reason.",
        "previous_result": "possible_victim",
        "new_result": "not_indicated",
    }
    assert _unchanged(case) == before


def test_a_screening_with_the_same_result_needs_no_confirmation(world, records) -> None:
    case = records.cases["own_team"]
    response = api_as(world.user(Role.CASE_WORKER)).patch(
        detail(case.pk),
        {"screening": {"acts": ["harbouring"], "exploitation_types": ["forced_labour"]}},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["screening_result"] == "possible_victim"


# --- A second open case -------------------------------------------------------------------


def test_a_second_open_case_answers_409_with_the_open_case(world, records) -> None:
    child, case = records.children["own_team"], records.cases["own_team"]
    before = Case.objects.count()
    response = api_as(world.user(Role.CASE_WORKER)).post(
        LIST, {"child": str(child.pk), "intake_source": "police"}, format="json"
    )
    assert response.status_code == 409
    assert response.json() == {
        "code": "open_case_exists",
        "detail": f"This child already has an open case ({case.number}). Open another one "
        "only with a reason.",
        "open_case": str(case.pk),
        "open_case_number": case.number,
    }
    assert Case.objects.count() == before


def test_a_second_open_case_opens_with_a_reason(world, records) -> None:
    child = records.children["own_team"]
    response = api_as(world.user(Role.CASE_WORKER)).post(
        LIST,
        {"child": str(child.pk), "intake_source": "police", "reason": "Trafficked again in 2026."},
        format="json",
    )
    assert response.status_code == 201
    assert Case.objects.get(pk=response.json()["id"]).opening_reason == "Trafficked again in 2026."


def test_an_open_case_the_caller_cannot_see_is_not_named(world, records) -> None:
    # Given a child of team A whose open case is assigned to a teammate
    child = ChildFactory(actor=world.user(Role.CASE_WORKER))
    CaseFactory(
        actor=world.user(Role.SUPERVISOR),
        child=child,
        assigned_to_id=world.user("case_worker_a2").pk,
    )

    # When the case worker, who sees the child but not that case, opens one
    response = api_as(world.user(Role.CASE_WORKER)).post(
        LIST, {"child": str(child.pk), "intake_source": "police"}, format="json"
    )

    # Then the answer says a case exists elsewhere, and names none
    assert response.status_code == 409
    assert set(response.json()) == {"code", "detail"}
    assert response.json()["code"] == "open_case_exists"


def test_a_closed_case_does_not_block_a_new_one(world, records) -> None:
    case = records.cases["own_team"]
    Case.objects.filter(pk=case.pk).update(status="closed")
    response = api_as(world.user(Role.CASE_WORKER)).post(
        LIST, {"child": str(case.child_id), "intake_source": "police"}, format="json"
    )
    assert response.status_code == 201


def test_patch_formal_identification_and_clearing_it(world, records) -> None:
    case = records.cases["own_team"]
    client = api_as(world.user(Role.CASE_WORKER))
    set_ = client.patch(
        detail(case.pk),
        {"formal_identification_date": "២០២៤-០២-០១", "formal_identification_by": "MoI, Phnom Penh"},
        format="json",
    )
    assert set_.status_code == 200
    assert set_.json()["formal_identification_date"] == "2024-02-01"
    assert set_.json()["formal_identification_by"] == "MoI, Phnom Penh"
    cleared = client.patch(detail(case.pk), {"formal_identification_date": None}, format="json")
    assert cleared.status_code == 200
    assert cleared.json()["formal_identification_date"] is None
    assert cleared.json()["formal_identification_by"] == ""


def test_patch_closing_sets_closed_at(world, records) -> None:
    case = records.cases["own_team"]
    response = api_as(world.user(Role.CASE_WORKER)).patch(
        detail(case.pk), {"status": "closed"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["closed_at"] is not None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"child": MISSING_ID}, "child"),
        ({"status": "archived"}, "status"),
        ({"status": None}, "status"),
        ({"formal_identification_by": "x" * 201}, "formal_identification_by"),
        ({"formal_identification_date": "2999-01-01"}, "formal_identification_date"),
        ({"opened_at": "2024-01-01T00:00:00Z"}, "opened_at"),
    ],
)
def test_bad_patch_answers_400(world, records, body, field) -> None:
    response = api_as(world.user(Role.CASE_WORKER)).patch(
        detail(records.cases["own_team"].pk), body, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()


# --- Filters ------------------------------------------------------------------------------


@pytest.fixture
def cases(world):
    user = world.user(Role.CASE_WORKER)
    sok = CaseFactory(
        actor=user, child=ChildFactory(actor=user, family_name="Sok", given_name="Dara")
    )
    labour = CaseFactory(
        actor=user,
        child=ChildFactory(actor=user, family_name="Chan", given_name="Vanna"),
        risk_level="high",
        screening=ScreeningFactory(exploitation_types=["forced_labour"]),
    )
    return {"sok": sok, "labour": labour}


def _list(world, **params) -> list[str]:
    response = api_as(world.user(Role.CASE_WORKER)).get(LIST, params)
    assert response.status_code == 200, response.json()
    return [c["id"] for c in response.json()["results"]]


def test_filters(world, cases) -> None:
    sok, labour = str(cases["sok"].pk), str(cases["labour"].pk)
    assert sorted(_list(world)) == sorted([sok, labour])
    assert _list(world, search="Sokh") == [sok]
    assert _list(world, risk_level="high") == [labour]
    assert _list(world, exploitation_type="forced_labour") == [labour]
    assert _list(world, exploitation_type="sexual_exploitation") == [sok]
    assert _list(world, status="closed") == []
    assert sorted(_list(world, assigned_to=world.user(Role.CASE_WORKER).pk)) == sorted(
        [sok, labour]
    )
    assert _list(world, screening_result="possible_victim") == [labour, sok]  # newest first
    assert _list(world, screening_result="not_indicated") == []


@pytest.mark.parametrize(
    "params",
    [
        {"assigned_to": "me"},
        {"assigned_to": str(10**30)},
        {"search": "x" * 201},
        {"stauts": "closed"},
    ],
)
def test_bad_filters_answer_400(world, cases, params) -> None:
    response = api_as(world.user(Role.CASE_WORKER)).get(LIST, params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_case_list_has_no_names(world, cases) -> None:
    response = api_as(world.user(Role.CASE_WORKER)).get(LIST)
    assert "Sok" not in json.dumps(response.json())


def test_province_filter(world) -> None:
    user = world.user(Role.CASE_WORKER)
    case = CaseFactory(actor=user, child=ChildFactory(actor=user, village_code=VILLAGE_PHUM_1))
    assert _list(world, province="12") == [str(case.pk)]
    assert _list(world, province="01") == []
