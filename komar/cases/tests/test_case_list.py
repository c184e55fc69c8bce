"""The case list as people expect it: sort by a column, date ranges, "mine / my team / all",
counts by stage and risk, clear all filters; the same filters on the page and the API."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from komar.access.tests.matrix import assert_role_table, role_table
from komar.api.tests.helpers import api_as
from komar.audit.models import AuditEvent
from komar.cases.models import Case
from komar.cases.selectors import CaseFilters, cases_counts, cases_list
from komar.cases.tests.factories import CaseFactory

PHNOM_PENH = ZoneInfo("Asia/Phnom_Penh")


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=10, tzinfo=PHNOM_PENH)


@pytest.fixture
def cases(world) -> dict[str, Case]:
    """Four cases of team A and one of team B, with known stages, risks and dates.

    ``a`` case_worker, ``b`` case_worker_a2 (team A), ``c`` the supervisor (team A),
    ``d`` case_worker, ``e`` case_worker_b (team B).
    """
    rows = {
        # name: (holder, status, risk, opened, updated)
        "a": ("case_worker", "intake", "high", "2026-01-10", "2026-11-01"),
        "b": ("case_worker_a2", "reintegration", "low", "2026-03-05", "2026-04-01"),
        "c": ("supervisor", "follow_up", "medium", "2026-02-20", "2026-02-21"),
        "d": ("case_worker", "intake", "not_assessed", "2026-05-31", "2026-06-01"),
        "e": ("case_worker_b", "closed", "high", "2026-04-15", "2026-05-01"),
    }
    world.user("case_worker").full_name = "Sok Dara"
    world.user("case_worker").full_name_km = "សុខ ដារា"
    world.user("case_worker").save()
    world.user("case_worker_a2").full_name = "Chan Vuthy"
    world.user("case_worker_a2").save()
    out = {}
    for name, (holder, status, risk, opened, updated) in rows.items():
        case = CaseFactory(actor=world.user(holder))
        Case.objects.filter(pk=case.pk).update(
            status=status,
            risk_level=risk,
            opened_at=_at(opened),
            updated_at=_at(updated),
            number=f"KMR-2026-{name}",
        )
        out[name] = Case.objects.get(pk=case.pk)
    return out


def _names(qs) -> list[str]:
    return [number.removeprefix("KMR-2026-") for number in qs.values_list("number", flat=True)]


def _list(user, **filters) -> list[str]:
    return _names(cases_list(user=user, filters=CaseFilters(**filters)))


# --- selectors -------------------------------------------------------------------------


def test_default_order_is_newest_opened_first(world, cases) -> None:
    assert _list(world.user("administrator")) == ["d", "e", "b", "c", "a"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("opened", ["a", "c", "b", "e", "d"]),
        ("-opened", ["d", "e", "b", "c", "a"]),
        ("updated", ["c", "b", "e", "d", "a"]),
        ("-updated", ["a", "d", "e", "b", "c"]),
        ("number", ["a", "b", "c", "d", "e"]),
        ("-number", ["e", "d", "c", "b", "a"]),
        # Stages in the ministry's order; ties in the same direction.
        ("status", ["a", "d", "b", "c", "e"]),
        ("-status", ["e", "c", "b", "d", "a"]),
        # Risk by severity, not by its code's spelling.
        ("risk", ["d", "b", "c", "a", "e"]),
        ("-risk", ["e", "a", "c", "b", "d"]),
        # Case workers by full name, then username: Chan Vuthy, Sok Dara, then the
        # supervisor and case_worker_b (no full name: "" sorts first ascending).
        ("worker", ["e", "c", "b", "a", "d"]),
        ("-worker", ["d", "a", "b", "c", "e"]),
        ("nonsense", ["d", "e", "b", "c", "a"]),
    ],
)
def test_sort_by_each_column(world, cases, sort, expected) -> None:
    assert _list(world.user("administrator"), sort=sort) == expected


def test_screening_sort_follows_the_form_order(world, cases) -> None:
    Case.objects.filter(pk=cases["b"].pk).update(screening_result="not_screened")
    Case.objects.filter(pk=cases["c"].pk).update(screening_result="not_indicated")
    # not_screened, possible_victim (a, e, d: oldest first, as the column), not_indicated
    assert _list(world.user("administrator"), sort="screening") == ["b", "a", "e", "d", "c"]
    assert _list(world.user("administrator"), sort="-screening") == ["c", "d", "e", "a", "b"]


def test_date_ranges_include_both_days(world, cases) -> None:
    admin = world.user("administrator")
    assert _list(admin, opened_from=date(2026, 2, 20), opened_to=date(2026, 4, 15)) == [
        "e",
        "b",
        "c",
    ]
    assert _list(admin, updated_from=date(2026, 6, 1)) == ["d", "a"]
    assert _list(admin, updated_to=date(2026, 2, 21)) == ["c"]
    assert _list(admin, opened_to=date(2026, 1, 9)) == []


def test_whose_switch(world, cases) -> None:
    supervisor = world.user("supervisor")
    assert _list(supervisor) == ["d", "b", "c", "a"]  # team scope: never team B's
    assert _list(supervisor, whose="mine") == ["c"]
    assert _list(supervisor, whose="team") == ["d", "b", "c", "a"]
    admin = world.user("administrator")  # organisation scope, team A, no cases
    assert _list(admin, whose="mine") == []
    assert _list(admin, whose="team") == ["d", "b", "c", "a"]
    assert _list(admin) == ["d", "e", "b", "c", "a"]
    worker = world.user("case_worker")
    assert _list(worker, whose="team") == ["d", "a"]  # own scope: the team adds nothing


def test_counts_by_stage_and_risk_of_the_filtered_set(world, cases) -> None:
    admin = world.user("administrator")
    counts = cases_counts(cases_list(user=admin, filters=CaseFilters(whose="team")))
    assert counts.total == 4
    assert not counts.capped
    assert [(code, n) for code, _, n in counts.by_status] == [
        ("intake", 2),
        ("reintegration", 1),
        ("follow_up", 1),
    ]
    assert [(code, n) for code, _, n in counts.by_risk] == [
        ("not_assessed", 1),
        ("low", 1),
        ("medium", 1),
        ("high", 1),
    ]


def test_counts_stop_at_the_cap(world, cases) -> None:
    qs = cases_list(user=world.user("administrator"), filters=CaseFilters())
    capped = cases_counts(qs, cap=4)
    assert (capped.total, capped.capped, capped.by_status, capped.by_risk) == (4, True, [], [])
    exact = cases_counts(qs, cap=5)
    assert (exact.total, exact.capped) == (5, False)


# --- the page --------------------------------------------------------------------------


def _page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _rows(html: str) -> list[str]:
    return re.findall(
        r'<tr class="case-row">\s*<td class="text-nowrap"><a [^>]*>KMR-2026-(\w)<', html
    )


def test_page_sorts_filters_counts_and_names_the_worker(world, cases) -> None:
    client = _page(world.user("administrator"))
    html = client.get("/cases/", {"sort": "-risk", "whose": "team"}).content.decode()
    assert _rows(html) == ["a", "c", "b", "d"]
    assert 'aria-sort="descending"' in html
    assert 'id="clear-filters" href="/cases/"' in html
    assert "4 cases" in html
    assert 'data-code="intake">Intake and assessment <strong>2</strong>' in html
    assert 'data-code="high">High <strong>1</strong>' in html
    # The case worker by full name, never the username.
    assert '<td class="case-worker">Sok Dara</td>' in html
    assert '<td class="case-worker">case_worker</td>' not in html
    # Cards for phones hold the same cases.
    assert html.count('class="card mb-2 case-card"') == 4


def test_page_in_khmer_names_the_worker_in_khmer(world, cases) -> None:
    client = _page(world.user("administrator"))
    client.cookies["django_language"] = "km"
    html = client.get("/cases/", {"whose": "mine", "assigned_to": ""}).content.decode()
    assert _rows(html) == []
    html = client.get("/cases/", {"sort": "opened"}, HTTP_ACCEPT_LANGUAGE="km").content.decode()
    assert '<td class="case-worker">សុខ ដារា</td>' in html


def test_page_dates_day_first_and_a_bad_one_is_an_error_not_a_reset(world, cases) -> None:
    client = _page(world.user("administrator"))
    html = client.get("/cases/", {"opened_from": "20/02/2026", "opened_to": "15/04/2026"})
    assert _rows(html.content.decode()) == ["e", "b", "c"]
    html = client.get("/cases/", {"opened_from": "31/02/2026", "risk_level": "high"})
    page = html.content.decode()
    assert html.status_code == 200
    assert _rows(page) == ["e", "a"]  # the valid filter still applies
    assert "komar-field-errors" in page
    reversed_range = client.get(
        "/cases/", {"updated_from": "02/06/2026", "updated_to": "01/06/2026"}
    )
    page = reversed_range.content.decode()
    assert "The end of the range is before its start." in page
    assert _rows(page) == ["a"]  # the range's start still applies, its end is refused


def test_page_without_filters_has_no_clear_link(world, cases) -> None:
    html = _page(world.user("administrator")).get("/cases/").content.decode()
    assert 'id="clear-filters"' not in html
    assert _rows(html) == ["d", "e", "b", "c", "a"]


def test_page_writes_one_list_event_with_the_filters(world, cases) -> None:
    before = AuditEvent.objects.count()
    _page(world.user("supervisor")).get(
        "/cases/", {"sort": "-updated", "whose": "mine", "opened_from": "01/01/2026", "q": "Sok"}
    )
    events = list(AuditEvent.objects.order_by("pk")[before:])
    assert [(e.action, e.object_type) for e in events] == [("searched", "cases.case")]
    assert events[0].changes["filters"] == {
        "opened_from": "2026-01-01",
        "q": True,
        "sort": "-updated",
        "whose": "mine",
    }


# --- the API ---------------------------------------------------------------------------


def _api_numbers(body) -> list[str]:
    return [c["number"].removeprefix("KMR-2026-") for c in body["results"]]


def test_api_takes_the_same_filters(world, cases) -> None:
    api = api_as(world.user("administrator"))
    body = api.get("/api/v1/cases/", {"sort": "-risk", "whose": "team"}).json()
    assert _api_numbers(body) == ["a", "c", "b", "d"]
    assert body["count"] == 4
    body = api.get(
        "/api/v1/cases/", {"opened_from": "2026-02-20", "opened_to": "២០២៦-០៤-១៥"}
    ).json()
    assert _api_numbers(body) == ["e", "b", "c"]
    body = api.get("/api/v1/cases/", {"updated_from": "2026-06-01", "sort": "updated"}).json()
    assert _api_numbers(body) == ["d", "a"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sort": "name"}, "sort"),
        ({"whose": "everyone"}, "whose"),
        ({"opened_from": "31/02/2026"}, "opened_from"),
        ({"updated_from": "2026-06-02", "updated_to": "2026-06-01"}, "updated_to"),
    ],
)
def test_api_refuses_bad_filters(world, cases, params, field) -> None:
    before = AuditEvent.objects.count()
    response = api_as(world.user("administrator")).get("/api/v1/cases/", params)
    assert response.status_code == 400
    assert field in response.json()
    assert AuditEvent.objects.count() == before


def test_api_writes_one_list_event(world, cases) -> None:
    before = AuditEvent.objects.count()
    api_as(world.user("supervisor")).get("/api/v1/cases/", {"whose": "team", "sort": "risk"})
    events = list(AuditEvent.objects.order_by("pk")[before:])
    assert [(e.action, e.object_type) for e in events] == [("listed", "cases.case")]
    assert events[0].changes["filters"] == {"sort": "risk", "whose": "team"}
    assert events[0].changes["count"] == 4


# --- who may use the switch ------------------------------------------------------------

# How many of the five cases each role's "my team" list shows (page; 403: no case list).
TEAM_SWITCH = role_table("""
case_worker         2
shelter_worker      4
lawyer              4
prevention_officer  403
supervisor          4
data_officer        403
partner_user        0
administrator       4
""")

MINE_SWITCH = role_table("""
case_worker         2
shelter_worker      0
lawyer              0
prevention_officer  403
supervisor          1
data_officer        403
partner_user        0
administrator       0
""")


def _count_on_page(user, whose: str) -> str:
    response = _page(user).get("/cases/", {"whose": whose})
    if response.status_code != 200:
        return str(response.status_code)
    return str(len(_rows(response.content.decode())))


def test_team_switch_by_role(world, cases) -> None:
    assert_role_table(world, TEAM_SWITCH, lambda user: _count_on_page(user, "team"))


def test_mine_switch_by_role(world, cases) -> None:
    assert_role_table(world, MINE_SWITCH, lambda user: _count_on_page(user, "mine"))


def test_api_count_stops_at_the_cap(world, cases, monkeypatch) -> None:
    from komar.api.pagination import CappedPagination

    api = api_as(world.user("administrator"))
    body = api.get("/api/v1/cases/").json()
    assert (body["count"], body["count_capped"]) == (5, False)
    monkeypatch.setattr(CappedPagination, "cap", 3)
    body = api.get("/api/v1/cases/", {"limit": 2}).json()
    assert (body["count"], body["count_capped"]) == (3, True)
    assert _api_numbers(body) == ["d", "e"]
    assert body["next"] is not None
    body = api.get("/api/v1/cases/", {"limit": 2, "offset": 2}).json()
    assert _api_numbers(body) == ["b", "c"]
    assert body["next"] is None  # the links stop at the cap


def test_page_count_stops_at_the_cap(world, cases, monkeypatch) -> None:
    from komar.cases import views

    monkeypatch.setattr(views, "COUNT_CAP", 3)
    monkeypatch.setattr(views, "cases_counts", lambda qs: cases_counts(qs, cap=3))
    html = _page(world.user("administrator")).get("/cases/").content.decode()
    assert "More than 3 cases: narrow the filters to count them by stage and risk." in html
    assert 'id="case-counts"' not in html
    assert _rows(html) == ["d", "e", "b"]


# --- compression (docs/decisions/0007-compression.md) ----------------------------------


def test_pages_and_api_are_gzipped_with_a_random_length(world, cases) -> None:
    import gzip

    client = _page(world.user("administrator"))
    sizes = set()
    tokens = set()
    for _ in range(4):
        response = client.get("/cases/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        html = gzip.decompress(response.content).decode()
        assert _rows(html) == ["d", "e", "b", "c", "a"]
        sizes.add(len(response.content))
        tokens.update(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    # Heal the Breach: the same page has another length each time; the CSRF token
    # (the sign-out form holds it) is masked afresh in every response.
    assert len(sizes) > 1
    assert len(tokens) == 4
    plain = client.get("/cases/")
    assert not plain.has_header("Content-Encoding")
    api = api_as(world.user("administrator")).get("/api/v1/cases/", HTTP_ACCEPT_ENCODING="gzip")
    assert api["Content-Encoding"] == "gzip"


def test_api_children_count_stops_at_the_cap(world, cases, monkeypatch) -> None:
    from komar.api.pagination import CappedPagination

    api = api_as(world.user("administrator"))
    body = api.get("/api/v1/children/").json()
    assert (body["count"], body["count_capped"]) == (5, False)
    monkeypatch.setattr(CappedPagination, "cap", 3)
    body = api.get("/api/v1/children/", {"limit": 2}).json()
    assert (body["count"], body["count_capped"], len(body["results"])) == (3, True, 2)


# --- every order is an index scan (access migration 0003) -----------------------------


@pytest.mark.parametrize(
    ("sort", "index"),
    [
        ("", "case_opened_id_idx"),
        ("opened", "case_opened_id_idx"),
        ("-updated", "case_updated_id_idx"),
        ("number", "case_number_id_idx"),
        ("-status", "case_status_ord_idx"),
        ("risk", "case_risk_ord_idx"),
        ("-risk", "case_risk_ord_idx"),
        ("screening", "case_screening_ord_idx"),
    ],
)
def test_each_order_reads_an_index_instead_of_sorting(world, cases, sort, index) -> None:
    from django.db import connection, transaction

    qs = cases_list(user=world.user("administrator"), filters=CaseFilters(sort=sort))[:25]
    sql, params = qs.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Five rows: make the planner show whether the index can serve the order.
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert (
                f"Index Scan Backward using {index}" in plan or f"Index Scan using {index}" in plan
            ), plan
            assert "Sort Key" not in plan, plan
        else:
            # SQLite binds the codes as parameters, so it cannot match an expression
            # index: only that the migration built them (production is PostgreSQL).
            assert index in connection.introspection.get_constraints(cursor, "cases_case")


# --- the generator writes what case_open writes ----------------------------------------


def test_generator_gives_each_case_its_assignment_grant(world) -> None:
    from komar.access.models import Grant
    from komar.demo.generator import generate

    worker = world.user("case_worker")
    result = generate(children=12, seed=3, organisation=world.host, users=[worker], batch_size=5)
    assert result["grants"] == 12
    cases = Case.objects.filter(organisation=world.host)
    grants = Grant.objects.filter(case__in=cases)
    assert {(g.case_id, g.child_id, g.holder_user_id, g.reason, g.ended_at) for g in grants} == {
        (c.pk, c.child_id, worker.pk, "case_assignment", None) for c in cases
    }
    # Through the grant, the case worker's scope reaches each child (as after case_open).
    from komar.children.selectors import children_visible_to

    assert children_visible_to(worker).filter(cases__in=cases).distinct().count() == 12
