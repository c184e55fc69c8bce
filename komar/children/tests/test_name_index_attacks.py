"""Attacks on a database dump of the name index, made without the index key.

A dump (``pg_dump``, a copy of the SQLite file) holds the spelling vocabulary and each
child's digests. These tests register children through the service, as in use (the
vocabulary batches run after each commit, as in the embedded default), then read the
tables with raw SQL only, as someone holding the dump would, and try to link children to
spellings:

- by order: walk the digests and give each digest seen for the first time the next
  spelling row (the attack of the 2026-11-27 design review, which recovered 40 of 40
  children from the old index), with rows in id order, in physical order (PostgreSQL's
  ``ctid``, SQLite's ``rowid``), in the order a plain ``SELECT`` returns them (as
  ``pg_dump`` writes them) and in insertion order (PostgreSQL's ``xmin``); once with
  every spelling row and once skipping the public list of common names, which the
  attacker has too;
- by frequency: rank the digests by how many children hold them and give them the
  spellings ranked by how common the name is in public lists.

The measure: a link is a digest the attack names the right spelling for (the test,
holding the key, checks ``index_digest(spelling) == digest``). Where the rows of the
vocabulary are written in a random order within each batch, a link the order attack
makes is right with probability at most 1 / (size of the batch that spelling came in),
so the links expected by chance are ``E = sum of 1 / batch size`` over the digests it
names. The attack must make no more right links than ``chance_ceiling(E)``: a count
that chance exceeds with probability below one in a million; and it must not recover a
single child's whole set of keys. The same attacks on a dump written the old way
(vocabulary and digests in registration order, sequential ids) recover every child:
that is what the measure can tell apart.

What counting does reveal (which children share a name word, how many, and so which
are probably called by the commonest names) is pinned down by the frequency tests, as
docs/decisions/0003-threat-model.md states it.
"""

import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from komar.children import common_names as names
from komar.children import name_index
from komar.children.models import Child, ChildNameKey, NameSpelling, PendingNameSpelling
from komar.children.name_index import (
    MIN_DECOYS,
    MIN_REGISTRATIONS,
    child_name_keys,
    name_vocabulary_seed,
    public_spellings,
)
from komar.children.search import children_matching
from komar.children.tests.helpers import register_child
from komar.core.crypto import index_digest
from komar.core.khmer import latin_search_key, name_keys
from komar.demo.generator import generate

pytestmark = pytest.mark.django_db

CHILDREN = 48

# --- The attacker's tools: raw SQL and public knowledge only ------------------------------


@dataclass
class Dump:
    """What the attacker reads: digests per child and spellings, in some row order."""

    digests: list[tuple[str, str]]  # (child id as stored, digest)
    spellings: list[str]


def _orders() -> list[str]:
    # SQLite's dump (".dump", or a copy of the file) keeps rowid order; a plain SELECT
    # there may read a covering index instead, which is no order a dump has.
    if connection.vendor == "postgresql":
        return ["id", "plain", "physical", "insertion"]
    return ["id", "physical"]


def read_dump(order: str) -> Dump:
    """Read the two tables as a dump shows them, in one kind of row order (raw SQL)."""
    clause = {
        "id": "ORDER BY id",
        "plain": "",  # as pg_dump and a plain SELECT return them
        "physical": "ORDER BY ctid" if connection.vendor == "postgresql" else "ORDER BY rowid",
        # Transaction ids of the inserts, then position: PostgreSQL only.
        "insertion": "ORDER BY xmin::text::bigint, ctid",
    }[order]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT child_id, digest FROM children_childnamekey {clause}")  # noqa: S608
        digests = [(str(c), d) for c, d in cursor.fetchall()]
        cursor.execute(f"SELECT key FROM children_namespelling {clause}")  # noqa: S608
        spellings = [row[0] for row in cursor.fetchall()]
    return Dump(digests=digests, spellings=spellings)


def attack_by_order(dump: Dump, *, skip: Iterable[str] = ()) -> dict[str, str]:
    """Give each digest seen for the first time the next spelling row (skipping ``skip``)."""
    rows = iter(s for s in dump.spellings if s not in set(skip))
    guess: dict[str, str] = {}
    for _, digest in dump.digests:
        if digest not in guess:
            spelling = next(rows, None)
            if spelling is None:
                break
            guess[digest] = spelling
    return guess


def public_ranking() -> list[str]:
    """Return the spellings of the public name lists, commonest first (as names.py ranks them)."""
    weight: Counter[str] = Counter()
    # Every child has a family name; about half have a girl's name, half a boy's.
    for bank, share in (
        (names.FAMILY_NAMES, 1.0),
        (names.GIRLS_NAMES, 0.5),
        (names.BOYS_NAMES, 0.5),
    ):
        weights = names.zipf_weights(len(bank))
        total = sum(weights)
        for (khmer, latin), w in zip(bank, weights, strict=True):
            for key in name_keys(khmer):
                weight[key] += share * w / total
            for variant in latin:
                for key in name_keys(variant):
                    weight[key] += share * w / total / len(latin)
    return [key for key, _ in weight.most_common()]


def attack_by_frequency(dump: Dump) -> dict[str, str]:
    """Give the digests, most held first, the public spellings, commonest first."""
    counts = Counter(d for _, d in dump.digests)
    ranked = [d for d, _ in counts.most_common()]
    return dict(zip(ranked, public_ranking(), strict=False))


# --- The judge: holds the key ------------------------------------------------------------


def chance_ceiling(expected: float, p: float = 1e-6) -> int:
    """Return the smallest k such that a Poisson(expected) count reaches k with
    probability below ``p``: more right links than that is not chance."""
    k, term, cdf = 0, math.exp(-expected), 0.0
    while True:
        cdf += term
        if 1.0 - cdf < p:
            return k + 1
        k += 1
        term *= expected / k


@dataclass
class Score:
    links: int  # digests given their right spelling
    children_recovered: int  # children all of whose keys were given right
    children_touched: int  # children with at least one key given right


def score(guess: dict[str, str], truth: dict[str, list[str]]) -> Score:
    """Score an attack's guesses against each child's true keys."""
    right = {d for d, s in guess.items() if index_digest(s) == d}
    recovered = touched = 0
    for keys in truth.values():
        hits = sum(index_digest(k) in right for k in keys)
        recovered += hits == len(keys)
        touched += hits > 0
    return Score(links=len(right), children_recovered=recovered, children_touched=touched)


def expected_by_chance(guess: dict[str, str], batch_of: dict[str, int]) -> float:
    """Return the right links expected if rows were in random order within each batch."""
    spelling_of = {index_digest(k): k for k in batch_of}
    return sum(
        1.0 / batch_of[spelling_of[d]]
        for d in guess
        if d in spelling_of and batch_of[spelling_of[d]]
    )


# --- The registry: children registered through the service -------------------------------

ONSETS = ("b", "ch", "d", "k", "l", "m", "n", "p", "r", "s", "t", "v")
RIMES = ("ath", "eak", "orn", "ul", "ean", "ip", "ol", "uy", "ong", "et")


def _invented(rng: random.Random, public: set[str]) -> tuple[str, str]:
    """Return a Latin word and a Khmer word that are in no public list."""
    while True:
        latin = "".join(rng.choice(ONSETS) + rng.choice(RIMES) for _ in range(2)).title()
        khmer = rng.choice(names.GIRLS_NAMES)[0] + rng.choice(names.BOYS_NAMES)[0]
        keys = [*name_keys(latin), *name_keys(khmer)]
        if not public & set(keys):
            return latin, khmer


@dataclass
class Registry:
    children: list[Child]
    truth: dict[str, list[str]]  # stored child id -> keys
    batches: list[set[str]]  # vocabulary rows added by each batch, in order
    seed: set[str]

    def batch_of(self) -> dict[str, int]:
        """Return the size of the batch each true key came in (0: not in the vocabulary)."""
        sizes: dict[str, int] = {}
        for key in {k for keys in self.truth.values() for k in keys}:
            if key in self.seed:
                sizes[key] = len(self.seed)
            else:
                sizes[key] = next((len(b) for b in self.batches if key in b), 0)
        return sizes


def _stored_id(child: Child) -> str:
    return str(Child._meta.pk.get_db_prep_value(child.pk, connection))


@pytest.fixture
def registry(world, monkeypatch, django_capture_on_commit_callbacks) -> Registry:
    """Register 48 children: most with names of the public lists drawn as common names
    are (Zipf), a third with names in no list; some with a nickname."""
    # The vocabulary before any registration: the public list, written in random order.
    name_vocabulary_seed()
    seed = set(NameSpelling.objects.values_list("key", flat=True))
    batches: list[set[str]] = []
    refresh = name_index.name_vocabulary_refresh

    def recorded(**kwargs):
        before = set(NameSpelling.objects.values_list("key", flat=True))
        outcome = refresh(**kwargs)
        added = set(NameSpelling.objects.values_list("key", flat=True)) - before
        if added:
            batches.append(added)
        return outcome

    monkeypatch.setattr(name_index, "name_vocabulary_refresh", recorded)
    rng = random.Random(20261127)
    public = set(public_spellings())
    family = (names.FAMILY_NAMES, names.zipf_weights(len(names.FAMILY_NAMES)))
    girls = (names.GIRLS_NAMES, names.zipf_weights(len(names.GIRLS_NAMES)))
    boys = (names.BOYS_NAMES, names.zipf_weights(len(names.BOYS_NAMES)))
    workers = [world.user("case_worker"), world.user("case_worker_a2")]
    children = []
    for i in range(CHILDREN):
        sex = rng.choice(("female", "male"))
        bank, weights = girls if sex == "female" else boys
        if i % 3 == 2:
            family_latin, family_km = _invented(rng, public)
            given_latin, given_km = _invented(rng, public)
        else:
            family_km, family_variants = rng.choices(family[0], weights=family[1])[0]
            given_km, given_variants = rng.choices(bank, weights=weights)[0]
            family_latin, given_latin = rng.choice(family_variants), rng.choice(given_variants)
        aliases = [rng.choice(rng.choice(names.NICKNAMES)[1])] if rng.random() < 0.2 else []
        with django_capture_on_commit_callbacks(execute=True):
            children.append(
                register_child(
                    rng.choice(workers),
                    name_km=f"{family_km} {given_km}",
                    family_name=family_latin,
                    given_name=given_latin,
                    aliases=aliases,
                    sex=sex,
                    birth_year=rng.randint(2006, 2016),
                )
            )
    truth = {_stored_id(c): child_name_keys(c) for c in children}
    return Registry(children=children, truth=truth, batches=batches, seed=seed)


# --- Order: ids, physical order, plain SELECT, insertion ---------------------------------


@pytest.mark.parametrize("order", _orders())
@pytest.mark.parametrize("skip_public", [False, True], ids=["all-rows", "public-list-skipped"])
def test_row_order_links_no_child_to_a_spelling(registry, order, skip_public) -> None:
    # Given a dump read in one row order, without the key
    dump = read_dump(order)
    assert len(dump.digests) == sum(len(k) for k in registry.truth.values())

    # When the review's attack walks it
    guess = attack_by_order(dump, skip=public_spellings() if skip_public else ())

    # Then it recovers no child, and no more right links than chance
    result = score(guess, registry.truth)
    expected = expected_by_chance(guess, registry.batch_of())
    assert result.children_recovered == 0
    assert result.links < chance_ceiling(expected), (result, expected)


@pytest.fixture
def naive_dump(registry) -> Registry:
    """Write the same children's index as the old code did: new spellings, then the
    child's digests, in key order, each table under sequential ids."""
    if connection.vendor == "postgresql":
        # Fresh files, so rows lie in the order written (not in space freed earlier).
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check pending foreign keys now
            cursor.execute("TRUNCATE children_childnamekey, children_namespelling")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        ChildNameKey.objects.all().delete()
        NameSpelling.objects.all().delete()
    vocabulary: dict[str, int] = {}
    digest_rows = []
    for child in registry.children:  # registration order
        keys = child_name_keys(child)
        for key in keys:
            vocabulary.setdefault(key, len(vocabulary) + 1)
        digest_rows.extend((child.pk, index_digest(k)) for k in keys)
    NameSpelling.objects.bulk_create(
        [NameSpelling(id=i, key=k, script=k[0], body=k[2:]) for k, i in vocabulary.items()]
    )
    ChildNameKey.objects.bulk_create(
        [ChildNameKey(id=i, child_id=c, digest=d) for i, (c, d) in enumerate(digest_rows, 1)]
    )
    return registry


@pytest.mark.parametrize("order", _orders())
def test_the_attack_recovers_every_child_from_a_naively_ordered_index(naive_dump, order) -> None:
    # Given the index written in registration order under sequential ids
    dump = read_dump(order)

    # When the same attack walks it
    result = score(attack_by_order(dump), naive_dump.truth)

    # Then every child's every key is recovered: the measure tells the two apart
    assert result.children_recovered == CHILDREN
    assert result.links == len({d for _, d in dump.digests})


# --- Batches: the vocabulary never grows with one registration --------------------------


def test_a_registration_adds_nothing_to_the_vocabulary(world, django_capture_on_commit_callbacks):
    worker = world.user("case_worker")
    before = set(NameSpelling.objects.values_list("key", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        child = register_child(worker, name_km="", family_name="Vornak", given_name="Theapol")

    assert set(NameSpelling.objects.values_list("key", flat=True)) == before
    # the spellings wait encrypted, tagged by a random group, not by the child
    with connection.cursor() as cursor:
        cursor.execute('SELECT "key", "group" FROM children_pendingnamespelling')
        pending = cursor.fetchall()
    assert len(pending) == 3  # vornak, teapol, vornakteapol
    assert all(token.startswith("gAAAAA") for token, _ in pending)
    assert all("ornak" not in token and "eapol" not in token for token, _ in pending)
    assert {group for _, group in pending} != {str(child.pk)}
    assert len({group for _, group in pending}) == 1
    # and the exact spelling finds the child at once
    assert child in children_matching(Child.objects.all(), "Vornak Theapol")


def test_spellings_join_in_one_shuffled_batch_of_several_registrations_with_decoys(
    world, django_capture_on_commit_callbacks
) -> None:
    worker = world.user("case_worker")
    rng = random.Random(3)
    public = set(public_spellings())
    registered = []
    before = set(NameSpelling.objects.values_list("key", flat=True))
    # Given one registration fewer than a batch needs, each with new spellings
    for _ in range(MIN_REGISTRATIONS - 1):
        family, _km = _invented(rng, public)
        given, _km = _invented(rng, public)
        with django_capture_on_commit_callbacks(execute=True):
            registered.append(
                register_child(worker, name_km="", family_name=family, given_name=given)
            )
    assert set(NameSpelling.objects.values_list("key", flat=True)) == before
    # A variant spelling does not find them yet (only the exact one does)
    first = registered[0]
    variant = first.family_name[:-1] + "x"
    assert first not in children_matching(Child.objects.all(), variant)

    # When one more registration comes
    family, _km = _invented(rng, public)
    given, _km = _invented(rng, public)
    with django_capture_on_commit_callbacks(execute=True):
        registered.append(register_child(worker, name_km="", family_name=family, given_name=given))

    # Then all their spellings join together, with decoys, and nothing waits
    added = set(NameSpelling.objects.values_list("key", flat=True)) - before
    real = {k for c in registered for k in child_name_keys(c)}
    assert real <= added
    assert len(added - real) >= max(MIN_DECOYS, len(real) // 2)
    assert not PendingNameSpelling.objects.exists()
    # and a variant spelling now finds the first child
    assert first in children_matching(Child.objects.all(), variant)


def test_decoys_look_like_the_joined_names_of_real_children(
    world, django_capture_on_commit_callbacks
) -> None:
    # Given registrations whose only new spellings are joined names (public words)
    before = set(NameSpelling.objects.values_list("key", flat=True))
    givens = [latin[0] for _, latin in names.GIRLS_NAMES[:MIN_REGISTRATIONS]]
    for given in givens:
        with django_capture_on_commit_callbacks(execute=True):
            register_child(
                world.user("case_worker"), name_km="", family_name="Sok", given_name=given
            )

    # Then the batch holds them and decoys, all of the same shape: a public family name
    # run into a public given name
    added = set(NameSpelling.objects.values_list("key", flat=True)) - before
    real = {"l:sok" + latin_search_key(g) for g in givens}
    family = {latin_search_key(v) for _, vs in names.FAMILY_NAMES for v in vs}
    given = {latin_search_key(v) for _, vs in names.GIRLS_NAMES + names.BOYS_NAMES for v in vs}
    khmer_family = {name_keys(km)[0][2:] for km, _ in names.FAMILY_NAMES}
    assert real <= added
    assert len(added - real) >= MIN_DECOYS
    for key in added:
        body = key[2:]
        if key.startswith("l:"):
            assert any(body[: len(f)] == f and body[len(f) :] in given for f in family), key
        else:
            assert any(body.startswith(f) and len(body) > len(f) for f in khmer_family), key


# --- Frequency: what counting reveals, and what it does not ------------------------------


def test_counting_digests_shows_which_children_share_a_name_word(registry) -> None:
    # This is the leak the threat model documents: a dump groups children by name word.
    dump = read_dump("id")
    groups: dict[str, set[str]] = defaultdict(set)
    for child, digest in dump.digests:
        groups[digest].add(child)

    true_groups: dict[str, set[str]] = defaultdict(set)
    for child, keys in registry.truth.items():
        for key in keys:
            true_groups[key].add(child)

    assert sorted(map(sorted, groups.values())) == sorted(map(sorted, true_groups.values()))


def public_name_of(key: str) -> int | None:
    """Return which entry of the public lists a spelling belongs to (either script)."""
    for index, (khmer, latin) in enumerate(
        [*names.FAMILY_NAMES, *names.GIRLS_NAMES, *names.BOYS_NAMES]
    ):
        if key in name_keys(khmer) or any(key in name_keys(v) for v in latin):
            return index
    return None


@pytest.fixture
def large_registry(world) -> dict[str, str]:
    """Generate 2,000 children whose names are drawn as common names are (Zipf), the way
    a real registry's are; return each digest's true spelling (for the judge only)."""
    users = [world.user("case_worker"), world.user("supervisor")]
    generate(children=2000, seed=11, organisation=world.host, users=users)
    return {index_digest(k): k for child in Child.objects.all() for k in child_name_keys(child)}


def test_frequency_guesses_the_commonest_name_and_so_who_bears_it(large_registry) -> None:
    # The documented residual leak: with public name statistics, the most held digests
    # are taken for the commonest name, which names the children who bear it.
    dump = read_dump("id")
    counts = Counter(d for _, d in dump.digests)
    most_held = [d for d, _ in counts.most_common(2)]

    guess = attack_by_frequency(dump)

    # Given that the commonest name word of the registry is the commonest public name
    assert {large_registry[d] for d in most_held} == {"k:សុខ", "l:sok"}
    # Then the attack takes each of the two most held digests for that name, in one
    # script or the other: the children holding them are, rightly, guessed to be Soks
    for digest in most_held:
        assert public_name_of(guess[digest]) == public_name_of(large_registry[digest]) == 0
    assert counts[most_held[1]] > 100


def test_frequency_cannot_tell_apart_words_borne_by_one_child(large_registry) -> None:
    # A name word held by one child only is one of many such digests: its count tells
    # nothing more, so the attack names it right no more often than chance.
    dump = read_dump("id")
    counts = Counter(d for _, d in dump.digests)
    single = [d for d, n in counts.items() if n == 1]
    guess = attack_by_frequency(dump)

    right = [d for d in single if d in guess and index_digest(guess[d]) == d]

    expected = sum(1 / len(single) for d in single if d in guess)
    assert len(single) > 500
    assert len(right) < chance_ceiling(expected)


# --- The vocabulary command ----------------------------------------------------------


def test_the_vocabulary_command_waits_for_enough_registrations(world) -> None:
    # Given three registrations with new spellings (after-commit batches not run here)
    rng = random.Random(5)
    public = set(public_spellings())
    for _ in range(3):
        family, _km = _invented(rng, public)
        register_child(world.user("case_worker"), name_km="", family_name=family, given_name="Dara")
    waiting = len(PendingNameSpelling.objects.all())
    before = NameSpelling.objects.count()

    # When the command runs with the default threshold
    out = StringIO()
    call_command("name_vocabulary_refresh", stdout=out)

    # Then nothing is added yet
    assert (
        f"Nothing added: 3 registrations waiting (at least {MIN_REGISTRATIONS} needed)."
        in out.getvalue()
    )
    assert NameSpelling.objects.count() == before

    # When an operator flushes a quiet week
    out = StringIO()
    call_command("name_vocabulary_refresh", "--min-registrations", "3", stdout=out)

    # Then the spellings of the three join with decoys
    added = NameSpelling.objects.count() - before
    assert waiting == 6  # two new spellings each: the family name and the joined name
    assert f"Added 6 spellings of 3 registrations with {added - 6} decoys." in out.getvalue()
    assert added - 6 >= MIN_DECOYS
    assert not PendingNameSpelling.objects.exists()


def test_the_vocabulary_command_seeds_the_public_list(world) -> None:
    NameSpelling.objects.all().delete()
    out = StringIO()

    call_command("name_vocabulary_refresh", "--seed", stdout=out)

    assert set(NameSpelling.objects.values_list("key", flat=True)) == set(public_spellings())
    assert f"Common names added: {len(public_spellings()):,}." in out.getvalue()
    with pytest.raises(CommandError):
        call_command("name_vocabulary_refresh", "--min-registrations", "0", stdout=StringIO())
