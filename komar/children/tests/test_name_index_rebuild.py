"""Changing the index key: the name index rebuilt while searches keep finding children."""

import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from komar.audit.models import AuditAction, AuditEvent
from komar.children import name_index
from komar.children.models import Child, ChildNameKey, NameSpelling
from komar.children.name_index import name_index_rebuild, name_vocabulary_seed
from komar.children.search import children_matching
from komar.children.tests.helpers import register_child
from komar.core.crypto import index_key_id
from komar.demo.generator import generate

pytestmark = pytest.mark.django_db

OLD_KEY = "old-index-key-of-at-least-thirty-two-characters"
NEW_KEY = "new-index-key-of-at-least-thirty-two-characters"


def found(query: str) -> set:
    return set(children_matching(Child.objects.all(), query).values_list("pk", flat=True))


def key_ids() -> set[str]:
    return set(ChildNameKey.objects.values_list("key_id", flat=True).distinct())


def test_rebuild_of_ten_thousand_children_under_a_new_key(world, settings) -> None:
    # Given 10,000 children indexed under the old key
    settings.KOMAR_INDEX_KEY = OLD_KEY
    users = [world.user("case_worker"), world.user("supervisor")]
    generate(children=10_000, seed=6, organisation=world.host, users=users)
    # Encrypted names cannot be filtered in the database: pick in Python.
    named = [c for c in Child.objects.order_by("pk") if c.name_km]
    sample = random.Random(6).sample(named, 25)
    queries = [f"{c.family_name} {c.given_name}" for c in sample if c.family_name]
    queries += [c.name_km for c in sample][:10]
    before = {q: found(q) for q in queries}
    assert all(before[f"{c.family_name} {c.given_name}"] >= {c.pk} for c in sample if c.family_name)
    assert key_ids() == {index_key_id(OLD_KEY)}

    # When the new key is set, the old one kept as previous, and the rebuild stops after
    # three batches (interrupted)
    settings.KOMAR_INDEX_KEY = NEW_KEY
    settings.KOMAR_INDEX_KEY_PREVIOUS = OLD_KEY
    partial = name_index_rebuild(batch_size=1000, max_batches=3)

    # Then a third of the index is under the new key, and searches find the same children
    assert (partial.children, partial.batches, partial.complete) == (3000, 3, False)
    assert key_ids() == {index_key_id(OLD_KEY), index_key_id(NEW_KEY)}
    assert {q: found(q) for q in queries} == before
    # and a child registered meanwhile is indexed under the new key at once
    newcomer = register_child(
        world.user("case_worker"), name_km="", family_name="Vornak", given_name="Theapol"
    )
    assert set(ChildNameKey.objects.filter(child=newcomer).values_list("key_id", flat=True)) == {
        index_key_id(NEW_KEY)
    }

    # When the rebuild is run again, through the command
    earlier = set(AuditEvent.objects.values_list("id", flat=True))
    out = StringIO()
    call_command("name_index_rebuild", "--batch-size", "1000", stdout=out)

    # Then it takes up the children still under the old key, and only those
    events = AuditEvent.objects.filter(action=AuditAction.INDEX_REBUILT).exclude(id__in=earlier)
    # (7 or 8 batches: the newcomer's random id may shift where the pages of 1,000 fall)
    assert sum(e.changes["children"] for e in events) == 7000
    assert all(0 < e.changes["children"] <= 1000 for e in events)
    assert {e.changes["key_id"] for e in events} == {index_key_id(NEW_KEY)}
    assert all(e.actor is None for e in events)
    assert f"7,000 children re-indexed in {events.count()} batches." in out.getvalue()
    assert key_ids() == {index_key_id(NEW_KEY)}
    # and with the old key removed from the settings, searches find the same children
    settings.KOMAR_INDEX_KEY_PREVIOUS = ""
    assert {q: found(q) for q in queries} == before
    assert found("Vornak Theapol") == {newcomer.pk}
    # while the old key alone no longer finds anyone: the digests did change
    settings.KOMAR_INDEX_KEY = OLD_KEY
    assert all(found(q) == set() for q in queries)


def test_a_failed_batch_changes_nothing_and_the_next_run_resumes(world, settings, monkeypatch):
    settings.KOMAR_INDEX_KEY = OLD_KEY
    children = [
        register_child(world.user("case_worker"), family_name="Sok", given_name=f"Dara{n}")
        for n in range(5)
    ]
    old_rows = set(ChildNameKey.objects.values_list("id", "digest"))
    settings.KOMAR_INDEX_KEY = NEW_KEY
    settings.KOMAR_INDEX_KEY_PREVIOUS = OLD_KEY
    written = name_index.events.name_index_rebuilt
    calls = []

    def fails_second(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("interrupted")
        return written(**kwargs)

    monkeypatch.setattr(name_index.events, "name_index_rebuilt", fails_second)

    # When the second batch fails
    with pytest.raises(RuntimeError, match="interrupted"):
        name_index_rebuild(batch_size=2)

    # Then the first batch is under the new key and the others untouched
    rebuilt = {
        c
        for c, k in ChildNameKey.objects.values_list("child_id", "key_id")
        if k == index_key_id(NEW_KEY)
    }
    assert len(rebuilt) == 2
    untouched = {c.pk for c in children} - rebuilt
    assert {
        (i, d)
        for i, d, c in ChildNameKey.objects.values_list("id", "digest", "child_id")
        if c in untouched
    } <= old_rows

    # When run again
    monkeypatch.setattr(name_index.events, "name_index_rebuilt", written)
    result = name_index_rebuild(batch_size=2)

    # Then only the three others are re-indexed
    assert (result.children, result.complete, result.remaining) == (3, True, 0)
    assert key_ids() == {index_key_id(NEW_KEY)}


def test_rebuilt_rows_have_new_random_ids_in_random_order(world, settings) -> None:
    settings.KOMAR_INDEX_KEY = OLD_KEY
    child = register_child(world.user("case_worker"))
    before = set(ChildNameKey.objects.filter(child=child).values_list("id", flat=True))
    settings.KOMAR_INDEX_KEY = NEW_KEY

    name_index_rebuild()

    after = list(ChildNameKey.objects.filter(child=child).values_list("id", flat=True))
    assert len(after) == len(before) == 6
    assert not before & set(after)
    assert all(0 < i < 2**63 for i in after)


def test_reshuffle_writes_the_vocabulary_again_under_new_ids(world, settings) -> None:
    name_vocabulary_seed()
    spellings = dict(NameSpelling.objects.values_list("key", "id"))
    assert len(spellings) > 300  # the public list of common names

    out = StringIO()
    call_command("name_index_rebuild", "--reshuffle-vocabulary", stdout=out)

    again = dict(NameSpelling.objects.values_list("key", "id"))
    assert set(again) == set(spellings)
    assert not set(again.values()) & set(spellings.values())
    assert (
        f"Vocabulary written again in random order: {len(spellings):,} spellings." in out.getvalue()
    )
    assert "KOMAR_INDEX_KEY_PREVIOUS can now be removed." in out.getvalue()


def test_the_command_refuses_a_short_index_key(settings) -> None:
    settings.KOMAR_INDEX_KEY = "short"

    with pytest.raises(CommandError, match="32 characters"):
        call_command("name_index_rebuild", stdout=StringIO())


def test_searches_look_under_the_previous_key_only_while_it_is_set(world, settings) -> None:
    settings.KOMAR_INDEX_KEY = OLD_KEY
    child = register_child(world.user("case_worker"))
    settings.KOMAR_INDEX_KEY = NEW_KEY

    assert found("Sok Sothea") == set()
    settings.KOMAR_INDEX_KEY_PREVIOUS = OLD_KEY
    assert found("Sok Sothea") == {child.pk}
