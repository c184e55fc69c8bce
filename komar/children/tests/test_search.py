"""Finding a child again by another spelling of the name, in either script."""

import hashlib
import hmac
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from komar.children.models import Child, ChildNameKey
from komar.children.search import child_name_keys, children_matching
from komar.children.selectors import children_search
from komar.children.tests.helpers import register_child
from komar.core.crypto import decrypt_text, index_digest


@pytest.fixture
def children(world):
    worker = world.user("case_worker")
    return {
        "sothea": register_child(worker, name_km="សុខ សុធា", family_name="Sok", given_name="Sothea"),
        "chhay": register_child(
            worker, name_km="ឆាយ ស្រីពៅ", family_name="Chhay", given_name="Sreypov"
        ),
        "chea": register_child(
            worker, name_km="ជា ពិសី", family_name="Chea", given_name="Pisey", aliases=["Ah Pov"]
        ),
        "kandal": register_child(
            worker, name_km="ចាន់ កណ្ដាល", family_name="Chan", given_name="Kandal"
        ),
        "keo": register_child(worker, name_km="កែវ ពេជ្រ", family_name="Keo", given_name="Pich"),
        "heng": register_child(worker, name_km="ហេង លី", family_name="Heng", given_name="Ly"),
    }


def found(world, q: str) -> set:
    return set(children_search(user=world.user("case_worker"), q=q).values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("Sokh", "sothea"),
        ("sok sothea", "sothea"),
        ("SOK", "sothea"),
        ("Chay", "chhay"),
        ("Chhai Sreypov", "chhay"),
        ("Cheah", "chea"),
        ("Piseth", "chea"),
        ("Ah Pov", "chea"),
        ("សុខ", "sothea"),
        ("សុខសុធា", "sothea"),
        ("សុខ\u200bសុធា", "sothea"),
        ("ចាន់ កណ្តាល", "kandal"),  # typed with subscript TA, stored with DA
        ("Kaev Pech", "keo"),  # vowels romanised differently
        ("Haeng Lee", "heng"),
    ],
)
def test_variant_finds_child(world, children, query: str, who: str) -> None:
    assert children[who].pk in found(world, query)


def test_search_does_not_match_other_names(world, children) -> None:
    assert found(world, "Sok Sothea") == {children["sothea"].pk}


def test_search_respects_scope(world, children) -> None:
    # Given a case worker of another team, who registered none of these children
    other = world.user("case_worker_b")
    # Then the search finds nothing
    assert list(children_search(user=other, q="Sok")) == []


def test_results_come_newest_first_not_best_spelling_first(world, children) -> None:
    # Ranking is by registration time only (see children_ranked): this test pins that
    # down, so a change to ranking must change it on purpose.
    # Given a variant spelling registered after the child spelled exactly as asked
    worker = world.user("case_worker")
    later = timezone.now() + timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        variant = register_child(worker, name_km="", family_name="Sokh", given_name="Sothea")

    # When searching the older child's exact spelling
    ranked = [c.pk for c in children_search(user=worker, q="Sok Sothea")]

    # Then the newer variant comes first, the exact spelling second
    assert ranked == [variant.pk, children["sothea"].pk]


def test_narrowing_by_birth_year_and_sex(world, children) -> None:
    register_child(
        world.user("case_worker"),
        family_name="Sok",
        given_name="Sothea",
        birth_year=2009,
        sex="male",
        name_km="",
    )
    hits = children_search(
        user=world.user("case_worker"), q="Sok Sothea", birth_year=2011, sex="female"
    )
    assert [c.pk for c in hits] == [children["sothea"].pk]


def test_name_is_encrypted_at_rest_and_index_holds_no_name(world, children) -> None:
    child = children["sothea"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT family_name, given_name, name_km FROM children_child WHERE id = %s",
            [Child._meta.pk.get_db_prep_value(child.pk, connection)],
        )
        stored = cursor.fetchone()
        cursor.execute(
            "SELECT digest FROM children_childnamekey WHERE child_id = %s",
            [Child._meta.pk.get_db_prep_value(child.pk, connection)],
        )
        digests = {row[0] for row in cursor.fetchall()}
    columns = {f.column for f in ChildNameKey._meta.concrete_fields}

    # The names are Fernet tokens that decrypt to the names and do not contain them
    for token, plain in zip(stored, ("Sok", "Sothea", "សុខ សុធា"), strict=True):
        assert token.startswith("gAAAAA")
        assert decrypt_text(token) == plain
    assert "Sothea" not in stored[1]
    assert "សុធា" not in stored[2]
    # The index row holds a keyed digest and nothing else about the name
    assert columns == {"id", "child_id", "digest", "key_id"}
    keys = child_name_keys(child)
    assert digests == {index_digest(k) for k in keys}
    # which no one can compute from the spelling without the key: not the key itself, not
    # a plain hash, not the HMAC without its domain, not the HMAC under another key
    unkeyed = set(keys)
    unkeyed |= {hashlib.sha256(k.encode()).hexdigest()[:32] for k in keys}
    unkeyed |= {
        hmac.new(settings.KOMAR_INDEX_KEY.encode(), k.encode(), hashlib.sha256).hexdigest()[:32]
        for k in keys
    }
    unkeyed |= {index_digest(k, key="another-index-key-of-at-least-32-chars") for k in keys}
    assert not digests & unkeyed


# --- The three ways a query is answered -------------------------------------------------


@pytest.fixture
def namesakes(world, children):
    """Three more Soks, one more Sothea: "Sok" matches 4 children, "Sothea" 2, both 1."""
    worker = world.user("case_worker")
    for given in ("Dara", "Vanna", "Bopha"):
        register_child(worker, name_km="", family_name="Sok", given_name=given)
    register_child(worker, name_km="", family_name="Chan", given_name="Sothea")
    return children


def _answer(query: str, few: int) -> tuple[set, list[str], str]:
    with CaptureQueriesContext(connection) as captured:
        matched = children_matching(Child.objects.all(), query, few_matches=few)
        sql = str(matched.query)
        found = set(matched.values_list("pk", flat=True))
    return found, [q["sql"] for q in captured.captured_queries], sql


@pytest.mark.parametrize("few", [4, 1, 0])
def test_every_path_finds_the_same_children(world, namesakes, few) -> None:
    # Given thresholds that send the query down each path in turn
    found, queries, final = _answer("Sok Sothea", few)

    # Then each path answers the same
    assert found == {namesakes["sothea"].pk}
    intersected = any("INTERSECT" in q for q in queries)
    joined = "children_childnamekey" in final
    if few == 4:  # rarest word (Sothea, 2 children) under the threshold: ids first
        assert (intersected, joined) == (False, False)
    elif few == 1:  # both words common, rare together: intersected in the index
        assert (intersected, joined) == (True, False)
    else:  # even together too many: left to a join with the registry
        assert (intersected, joined) == (True, True)


def test_join_path_of_one_common_word(world, namesakes) -> None:
    found, queries, final = _answer("Sok", 0)

    assert "children_childnamekey" in final
    assert not any("INTERSECT" in q for q in queries)
    assert found == {c.pk for c in Child.objects.all() if c.family_name == "Sok"}
    assert len(found) == 4


def test_search_leaves_the_callers_transaction_settings_alone(world, children) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("planner settings are PostgreSQL's")

    def setting(name: str) -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting(%s)", [name])
            return cursor.fetchone()[0]

    # Given a transaction, as a service's
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', '0.3', true)")
        # When a search runs inside it
        assert children["sothea"].pk in set(
            children_matching(Child.objects.all(), "Sothea").values_list("pk", flat=True)
        )
        # Then the rest of the transaction plans as before
        assert setting("enable_seqscan") == "on"
        assert setting("pg_trgm.similarity_threshold") == "0.3"
