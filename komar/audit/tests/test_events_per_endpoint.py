"""Each endpoint and page writes exactly the events of its kind: one table, literal.

A row: who calls what, and the audit events that one call must add, no more, no less.
"""

from collections import Counter

import pytest
from django.test import Client

from komar.accounts.roles import Role
from komar.api.tests.helpers import api_as
from komar.audit.models import AuditEvent
from komar.cases.tests.factories import CaseFactory
from komar.children.tests.factories import ChildFactory

CHILD = "children.child"
CASE = "cases.case"
SCREENING = "cases.screening"
GRANT = "access.grant"
LOG = "audit.auditevent"

GUARDIANS = {
    "guardians-TOTAL_FORMS": "0",
    "guardians-INITIAL_FORMS": "0",
    "guardians-MIN_NUM_FORMS": "0",
    "guardians-MAX_NUM_FORMS": "10",
}

# (name, caller, channel, method, path with {child}/{case}, body, events added)
ROWS = [
    (
        "api children list",
        "case_worker",
        "api",
        "get",
        "/api/v1/children/",
        {},
        [("listed", CHILD)],
    ),
    (
        "api children search",
        "case_worker",
        "api",
        "get",
        "/api/v1/children/?search=Dara",
        {},
        [("searched", CHILD)],
    ),
    (
        "api child register",
        "case_worker",
        "api",
        "post",
        "/api/v1/children/",
        {"family_name": "Keo", "sex": "male"},
        [("create", CHILD)],
    ),
    (
        "api child read",
        "case_worker",
        "api",
        "get",
        "/api/v1/children/{child}/",
        {},
        [("view", CHILD)],
    ),
    (
        "api child change",
        "case_worker",
        "api",
        "patch",
        "/api/v1/children/{child}/",
        {"birth_year": 2011},
        [("view", CHILD), ("update", CHILD)],
    ),
    (
        "api child consent withdrawn",
        "case_worker",
        "api",
        "patch",
        "/api/v1/children/{child}/",
        {"consent_services": False},
        [("view", CHILD), ("update", CHILD), ("consent_withdrawn", CHILD)],
    ),
    (
        "api child history",
        "supervisor",
        "api",
        "get",
        "/api/v1/children/{child}/audit/",
        {},
        [("view", CHILD)],
    ),
    (
        "api child refused",
        "case_worker_b",
        "api",
        "get",
        "/api/v1/children/{child}/",
        {},
        [("refused", CHILD)],
    ),
    ("api cases list", "case_worker", "api", "get", "/api/v1/cases/", {}, [("listed", CASE)]),
    (
        "api cases search",
        "case_worker",
        "api",
        "get",
        "/api/v1/cases/?search=Dara",
        {},
        [("searched", CASE)],
    ),
    (
        "api case open",
        "case_worker",
        "api",
        "post",
        "/api/v1/cases/",
        {"child": "{child}", "intake_source": "police", "reason": "again"},
        [("create", CASE), ("grant_given", GRANT)],
    ),
    ("api case read", "case_worker", "api", "get", "/api/v1/cases/{case}/", {}, [("view", CASE)]),
    (
        "api case change",
        "case_worker",
        "api",
        "patch",
        "/api/v1/cases/{case}/",
        {"risk_level": "high"},
        [("view", CASE), ("update", CASE)],
    ),
    (
        "api case history",
        "supervisor",
        "api",
        "get",
        "/api/v1/cases/{case}/audit/",
        {},
        [("view", CASE)],
    ),
    (
        "api case refused",
        "case_worker_b",
        "api",
        "patch",
        "/api/v1/cases/{case}/",
        {"risk_level": "high"},
        [("refused", CASE)],
    ),
    ("api access log", "supervisor", "api", "get", "/api/v1/audit/", {}, [("listed", LOG)]),
    ("api organisations", "case_worker", "api", "get", "/api/v1/organisations/", {}, []),
    ("page home", "case_worker", "web", "get", "/", {}, [("listed", CASE)]),
    ("page home without cases", "prevention_officer", "web", "get", "/", {}, []),
    ("page cases list", "case_worker", "web", "get", "/cases/", {}, [("listed", CASE)]),
    ("page cases search", "case_worker", "web", "get", "/cases/?q=Dara", {}, [("searched", CASE)]),
    ("page child", "case_worker", "web", "get", "/children/{child}/", {}, [("view", CHILD)]),
    (
        "page child edit form",
        "case_worker",
        "web",
        "get",
        "/children/{child}/edit/",
        {},
        [("view", CHILD)],
    ),
    (
        "page child edit",
        "case_worker",
        "web",
        "post",
        "/children/{child}/edit/",
        {
            "family_name": "Chan",
            "given_name": "Dara",
            "sex": "male",
            "birth_year": "2012",
            "nationality": "KH",
            "consent_services": "on",
            **GUARDIANS,
        },
        [("update", CHILD)],
    ),
    (
        "page child refused",
        "case_worker_b",
        "web",
        "get",
        "/children/{child}/",
        {},
        [("refused", CHILD)],
    ),
    (
        "page case open form",
        "case_worker",
        "web",
        "get",
        "/cases/open/{child}/",
        {},
        [("view", CHILD)],
    ),
    (
        "page case open",
        "case_worker",
        "web",
        "post",
        "/cases/open/{child}/",
        {
            "intake_source": "community",
            "risk_level": "high",
            "assigned_to": "{me}",
            "confirm-confirm": "on",
            "confirm-reason": "trafficked again",
        },
        [("create", CASE), ("grant_given", GRANT)],
    ),
    ("page case", "case_worker", "web", "get", "/cases/{case}/", {}, [("view", CASE)]),
    (
        "page case edit",
        "case_worker",
        "web",
        "post",
        "/cases/{case}/edit/",
        {
            "intake_source": "police",
            "risk_level": "high",
            "status": "intake",
            "assigned_to": "{me}",
        },
        [("update", CASE)],
    ),
    (
        "page case screening",
        "case_worker",
        "web",
        "post",
        "/cases/{case}/screening/",
        {"screening-acts": ["harbouring"], "screening-exploitation_types": ["forced_labour"]},
        [("create", SCREENING)],
    ),
    (
        "page case refused edit",
        "case_worker_b",
        "web",
        "post",
        "/cases/{case}/edit/",
        {"risk_level": "high"},
        [("refused", CASE)],
    ),
    ("page access log", "administrator", "web", "get", "/audit/", {}, [("listed", LOG)]),
]


def _fill(value, child, case, me):
    if isinstance(value, str):
        return value.format(child=child.pk, case=case.pk, me=me.pk)
    if isinstance(value, dict):
        return {k: _fill(v, child, case, me) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, child, case, me) for v in value]
    return value


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("caller", "channel", "method", "path", "body", "expected"),
    [row[1:] for row in ROWS],
    ids=[row[0] for row in ROWS],
)
def test_one_call_writes_exactly_its_events(
    world, caller, channel, method, path, body, expected
) -> None:
    # Given a child and a case of the case worker of team A, with consent to services
    worker = world.user(Role.CASE_WORKER)
    child = ChildFactory(actor=worker, consents={"services": True})
    case = CaseFactory(actor=worker, child=child)
    user = world.user(caller)
    before = set(AuditEvent.objects.values_list("id", flat=True))

    # When the caller makes one call
    if channel == "api":
        client = api_as(user)
        response = getattr(client, method)(
            _fill(path, child, case, user), _fill(body, child, case, user) or None, format="json"
        )
    else:
        client = Client()
        client.force_login(user)
        response = getattr(client, method)(
            _fill(path, child, case, user), _fill(body, child, case, user)
        )
    assert response.status_code < 500

    # Then exactly the expected events are added, each from that channel and caller
    new = AuditEvent.objects.exclude(id__in=before)
    assert Counter(new.values_list("action", "object_type")) == Counter(expected), (
        response.status_code
    )
    assert {(e.channel, e.actor_username) for e in new} <= {(channel, user.username)}
