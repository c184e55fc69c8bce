"""Writing the name index: each child's keyed digests, and the vocabulary's growth.

A database dump must not link a child to a spelling. The digests of a child's name keys
(:class:`ChildNameKey`) cannot be computed without ``KOMAR_INDEX_KEY``; what remains to
hide is *when* and *in what order* rows are written, since a dump keeps row order (ids,
SQLite's rowid, PostgreSQL's physical order and transaction ids):

- Registering a child never adds to the vocabulary (:class:`NameSpelling`). Its new
  spellings wait, encrypted and tagged with a random group rather than the child
  (:class:`PendingNameSpelling`), until :data:`MIN_REGISTRATIONS` registrations have
  gathered; :func:`name_vocabulary_refresh` then adds them in one shuffled batch mixed
  with decoys (joined names made from the public list of common names). The query's own
  key is always searched, so a child is found by the exact spelling at once; other
  spellings find it once the batch is in.
- The vocabulary starts from that public list (:func:`name_vocabulary_seed`), so common
  names are there before any child bears them.
- Every row has a random id, and a child's digests are written in random order.

Frequency is not hidden: how many children share a digest is visible in a dump (see
docs/decisions/0003-threat-model.md).

Changing the index key: set the new ``KOMAR_INDEX_KEY``, keep the old one in
``KOMAR_INDEX_KEY_PREVIOUS`` (searches look under both), run
:func:`name_index_rebuild`, then drop the old key.
"""

import logging
import random
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction

from komar.audit import events
from komar.children.models import Child, ChildNameKey, NameSpelling, PendingNameSpelling
from komar.core.crypto import index_digest, index_key_id
from komar.core.khmer import fold_vowels, khmer_search_key, latin_search_key, name_keys

logger = logging.getLogger(__name__)

# Registrations whose new spellings join the vocabulary together (never one alone).
MIN_REGISTRATIONS = 8
# Decoy spellings added with each batch: at least this many, and at least half as many
# as the batch's real new spellings.
MIN_DECOYS = 8
# Children re-indexed per transaction by a rebuild.
REBUILD_BATCH = 1000

# Shuffles and decoys must not be predictable from anything in the database.
_random = random.SystemRandom()


class NamedChild(Protocol):
    """Anything with a child's name fields (a :class:`Child`, or the generator's rows)."""

    name_km: str
    family_name: str
    given_name: str
    aliases: Any


def index_keys() -> list[str]:
    """Return the index keys searches look under: the current one, then the previous.

    ``KOMAR_INDEX_KEY_PREVIOUS`` is set only while the index is rebuilt under a new key.
    """
    current = settings.KOMAR_INDEX_KEY
    previous = getattr(settings, "KOMAR_INDEX_KEY_PREVIOUS", "") or ""
    return [current, previous] if previous and previous != current else [current]


def name_digests(keys: Iterable[str]) -> list[str]:
    """Return the digests of search keys under every index key searches look under."""
    keys = list(keys)
    return [index_digest(k, key=secret) for secret in index_keys() for k in keys]


def child_name_keys(child: NamedChild) -> list[str]:
    """Return the search keys of all of a child's names and aliases."""
    keys: list[str] = []
    for text in [child.name_km, child.family_name, child.given_name, *(child.aliases or [])]:
        if text:
            keys.extend(name_keys(text))
    latin = " ".join(p for p in (child.family_name, child.given_name) if p)
    if latin:
        keys.extend(name_keys(latin))
    return list(dict.fromkeys(keys))


def spelling_for(key: str) -> NameSpelling:
    """Return the vocabulary entry of a search key (not saved)."""
    body = key[2:]
    return NameSpelling(
        key=key, script=key[0], body=body, folded=fold_vowels(body) if key[0] == "l" else body
    )


def spellings_ensure(keys: Iterable[str]) -> None:
    """Add any of the keys missing from the vocabulary, at once.

    For synthetic data only (:mod:`komar.demo.generator`): real registrations leave
    their spellings to :func:`name_vocabulary_refresh`.
    """
    keys = list(dict.fromkeys(keys))
    existing = set(NameSpelling.objects.filter(key__in=keys).values_list("key", flat=True))
    NameSpelling.objects.bulk_create(
        [spelling_for(k) for k in keys if k not in existing], ignore_conflicts=True
    )


def _child_rows(child_id: Any, keys: Sequence[str], key_id: str) -> list[ChildNameKey]:
    rows = [ChildNameKey(child_id=child_id, digest=index_digest(k), key_id=key_id) for k in keys]
    _random.shuffle(rows)  # the order of a child's rows must not follow its names
    return rows


def name_index_refresh(child: Child) -> None:
    """Rebuild a child's name index after its names changed (in the caller's transaction).

    The child's digests are replaced at once; spellings the vocabulary lacks wait,
    encrypted, for the next vocabulary batch.
    """
    keys = child_name_keys(child)
    known = set(NameSpelling.objects.filter(key__in=keys).values_list("key", flat=True))
    ChildNameKey.objects.filter(child=child).delete()
    ChildNameKey.objects.bulk_create(_child_rows(child.pk, keys, index_key_id()))
    new = [k for k in keys if k not in known]
    if new:
        _random.shuffle(new)
        group = secrets.token_hex(8)  # one registration's spellings, never whose
        PendingNameSpelling.objects.bulk_create(
            [PendingNameSpelling(key=k, group=group) for k in new]
        )
        transaction.on_commit(_vocabulary_after_commit, robust=True)


def _vocabulary_after_commit() -> None:
    name_vocabulary_refresh()


def _public_names() -> list[tuple[str, tuple[str, ...]]]:
    # The public list of common Khmer names (family, given, nicknames) that ships with
    # the demo data: it names no one, and it seeds the vocabulary and its decoys.
    from komar.children import common_names as names

    return [*names.FAMILY_NAMES, *names.GIRLS_NAMES, *names.BOYS_NAMES, *names.NICKNAMES]


def public_spellings() -> list[str]:
    """Return the search keys of the public list of common names, both scripts."""
    keys: list[str] = []
    for khmer, latin in _public_names():
        keys.extend(name_keys(khmer))
        for variant in latin:
            keys.extend(name_keys(variant))
    return list(dict.fromkeys(keys))


def _decoys(count: int, *, exclude: set[str]) -> list[str]:
    """Return ``count`` decoy spellings: joined names a real child could bear.

    Most new spellings of real registrations are joined names (family and given name
    run together, in each script), so decoys are made the same way from the public list.
    """
    from komar.children import common_names as names

    out: list[str] = []
    tries = 0
    while len(out) < count and tries < count * 20:
        tries += 1
        family_km, family_latin = _random.choice(names.FAMILY_NAMES)
        given_km, given_latin = _random.choice(
            _random.choice((names.GIRLS_NAMES, names.BOYS_NAMES))
        )
        candidates = [
            "k:" + khmer_search_key(family_km) + khmer_search_key(given_km),
            "l:"
            + latin_search_key(_random.choice(family_latin))
            + latin_search_key(_random.choice(given_latin)),
        ]
        for key in candidates:
            if key not in exclude and len(out) < count:
                exclude.add(key)
                out.append(key)
    return out


@dataclass(frozen=True)
class VocabularyBatch:
    """What one vocabulary batch added (counts only: never which spellings)."""

    registrations: int
    added: int
    decoys: int


def name_vocabulary_refresh(*, min_registrations: int = MIN_REGISTRATIONS) -> VocabularyBatch:
    """Add the pending spellings to the vocabulary in one shuffled batch with decoys.

    Nothing is added until the spellings of at least ``min_registrations``
    registrations are pending, so a batch is never one child's. Safe to run at any
    time, from several processes: each batch takes the pending rows no other holds.
    """
    with transaction.atomic():
        pending = list(
            PendingNameSpelling.objects.select_for_update(skip_locked=True).only("id", "group")
        )
        registrations = len({p.group for p in pending})
        if not pending or registrations < max(1, min_registrations):
            return VocabularyBatch(registrations=registrations, added=0, decoys=0)
        # Decrypt only now, and only the rows this batch holds.
        ids = [p.pk for p in pending]
        keys = list(
            dict.fromkeys(
                PendingNameSpelling.objects.filter(pk__in=ids).values_list("key", flat=True)
            )
        )
        existing = set(NameSpelling.objects.filter(key__in=keys).values_list("key", flat=True))
        new = [k for k in keys if k not in existing]
        wanted = max(MIN_DECOYS, len(new) // 2)
        candidates = _decoys(wanted * 2, exclude=set(keys))
        taken = set(NameSpelling.objects.filter(key__in=candidates).values_list("key", flat=True))
        decoys = [k for k in candidates if k not in taken][:wanted]
        rows = [spelling_for(k) for k in [*new, *decoys]]
        _random.shuffle(rows)
        NameSpelling.objects.bulk_create(rows, ignore_conflicts=True)
        PendingNameSpelling.objects.filter(pk__in=ids).delete()
    return VocabularyBatch(registrations=registrations, added=len(new), decoys=len(decoys))


def name_vocabulary_seed() -> int:
    """Add the public list of common names to the vocabulary, shuffled; return how many.

    Common names are then in the vocabulary before any child bears them, so adding
    them never follows a registration.
    """
    keys = public_spellings()
    existing = set(NameSpelling.objects.filter(key__in=keys).values_list("key", flat=True))
    rows = [spelling_for(k) for k in keys if k not in existing]
    _random.shuffle(rows)
    with transaction.atomic():
        NameSpelling.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def name_vocabulary_reshuffle() -> int:
    """Write the whole vocabulary again in random order under new random ids.

    For a vocabulary written the old way (in registration order, sequential ids): its
    row order could be matched with the order of the children's digests. Return the
    number of spellings.
    """
    with transaction.atomic():
        rows = [
            spelling_for(key)
            for key in NameSpelling.objects.select_for_update().values_list("key", flat=True)
        ]
        _random.shuffle(rows)
        NameSpelling.objects.all().delete()
        NameSpelling.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


@dataclass(frozen=True)
class RebuildResult:
    """The outcome of a rebuild: children re-indexed, batches, rows left under old keys."""

    key_id: str
    children: int
    batches: int
    remaining: int
    complete: bool


Progress = Callable[[int, int], None]


def _stale_children(ids: Sequence[Any], key_id: str) -> list[Any]:
    """Return those of ``ids`` with a digest under another key, or with no digest."""
    rows = ChildNameKey.objects.filter(child_id__in=ids)
    stale = set(rows.exclude(key_id=key_id).values_list("child_id", flat=True).distinct())
    indexed = set(rows.values_list("child_id", flat=True).distinct())
    return [pk for pk in ids if pk in stale or pk not in indexed]


def name_index_rebuild(
    *,
    batch_size: int = REBUILD_BATCH,
    max_batches: int | None = None,
    progress: Progress | None = None,
) -> RebuildResult:
    """Write every child's digests again under the current index key.

    Children are taken in batches by id, each batch in its own short transaction that
    locks its children (a concurrent change of names waits), replaces their digests
    and records one ``name_index_rebuilt`` audit event. Children already indexed under
    the current key are skipped, so an interrupted rebuild resumes where it stopped.
    While it runs, searches look under the previous key too (``KOMAR_INDEX_KEY_PREVIOUS``).
    ``max_batches`` stops after that many written batches (``complete`` is then False).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    key_id = index_key_id()
    total = Child.objects.count()
    children = batches = seen = 0
    last: Any = None
    complete = True
    while True:
        page = Child.objects.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        ids = list(page.values_list("pk", flat=True)[:batch_size])
        if not ids:
            break
        last = ids[-1]
        seen += len(ids)
        stale = _stale_children(ids, key_id)
        if stale:
            with transaction.atomic():
                batch = list(
                    Child.objects.select_for_update()
                    .filter(pk__in=stale)
                    .only("pk", "name_km", "family_name", "given_name", "aliases")
                )
                ChildNameKey.objects.filter(child_id__in=[c.pk for c in batch]).delete()
                rows: list[ChildNameKey] = []
                for child in batch:
                    rows.extend(_child_rows(child.pk, child_name_keys(child), key_id))
                ChildNameKey.objects.bulk_create(rows, batch_size=5000)
                events.name_index_rebuilt(actor=None, children=len(batch), key_id=key_id)
            children += len(batch)
            batches += 1
        if progress is not None:
            progress(seen, total)
        if max_batches is not None and batches >= max_batches:
            complete = False
            break
    remaining = ChildNameKey.objects.exclude(key_id=key_id).count()
    return RebuildResult(
        key_id=key_id,
        children=children,
        batches=batches,
        remaining=remaining,
        complete=complete and remaining == 0,
    )
