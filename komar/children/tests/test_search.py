"""Finding a child again by another spelling of the name, in either script."""

import pytest

from komar.children.selectors import children_search
from komar.children.tests.helpers import register_child


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


def test_exact_spelling_ranks_first(world, children) -> None:
    variant = register_child(
        world.user("case_worker"), name_km="", family_name="Sokh", given_name="Sothea"
    )
    ranked = list(children_search(user=world.user("case_worker"), q="Sokh Sothea"))
    assert ranked[0].pk == variant.pk
    assert children["sothea"].pk in {c.pk for c in ranked}


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
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT family_name, name_km FROM children_child")
        rows = cursor.fetchall()
        cursor.execute("SELECT digest FROM children_childnamekey")
        digests = [r[0] for r in cursor.fetchall()]
    assert all("Sok" not in (r[0] or "") and "សុខ" not in (r[1] or "") for r in rows)
    assert all("sok" not in d for d in digests)
