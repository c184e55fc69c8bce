"""The name index: find children by any spelling of any word of their names.

Names are encrypted, so the database cannot search them. Each name word is reduced to
a spelling-tolerant key (``komar.core.khmer.name_keys``). The distinct keys form a small
vocabulary (:class:`NameSpelling`, hundreds to thousands of rows however many children
there are); each child holds only keyed digests of its keys (:class:`ChildNameKey`).
A search finds the vocabulary entries close to each query word (the same vowel-blind
form, then trigram similarity on PostgreSQL or edit similarity elsewhere), turns them
into digests and fetches children through a plain btree index. This stays fast at
millions of children, where a trigram index over names themselves does not.

Digests are looked up under the current index key and, while the index is rebuilt
under a new one, under the previous key too. How the index is written, and why a dump
cannot link it to names, is in :mod:`komar.children.name_index`.
"""

from difflib import SequenceMatcher

from django.db import connection, transaction
from django.db.models import QuerySet

from komar.children.models import Child, ChildNameKey, NameSpelling
from komar.children.name_index import (
    child_name_keys,
    name_digests,
    name_index_refresh,
    spelling_for,
    spellings_ensure,
)
from komar.core.khmer import fold_vowels, name_keys

__all__ = [
    "FEW_MATCHES",
    "child_name_keys",
    "children_matching",
    "children_ranked",
    "name_index_refresh",
    "spelling_for",
    "spellings_ensure",
]

MAX_SPELLINGS_PER_WORD = 12
# Below this many children per word, ids are gathered from the index first.
FEW_MATCHES = 2000
TRIGRAM_SIMILARITY = 0.5
EDIT_SIMILARITY = 0.75


def _trigram_similar(script: str, body: str) -> list[str]:
    """Return vocabulary keys of a script similar to ``body`` by trigrams (PostgreSQL).

    Short names have few trigrams, so the planner overrates the GIN index's cost and
    scans the whole vocabulary (38 ms at 28,000 spellings, against 7 ms through the
    index): sequential scans are turned off for this one query. ``SET LOCAL`` lasts to
    the end of the transaction, even past a released savepoint, so the settings are made
    inside a savepoint that is rolled back once the rows are read: the caller's
    transaction goes on with its own settings.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        savepoint = transaction.savepoint()
        try:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL pg_trgm.similarity_threshold = %s", [TRIGRAM_SIMILARITY])
            cursor.execute(
                "SELECT key FROM children_namespelling WHERE script = %s AND body %% %s "
                "ORDER BY similarity(body, %s) DESC LIMIT %s",
                [script, body, body, MAX_SPELLINGS_PER_WORD],
            )
            return [row[0] for row in cursor.fetchall()]
        finally:
            transaction.savepoint_rollback(savepoint)


def _similar_spellings(key: str) -> list[str]:
    """Return vocabulary keys that may be the same word as ``key``, closest first.

    A spelling is similar when it folds to the same vowel-blind form (Keo/Kaev,
    Pich/Pech) or is close letter by letter: trigram similarity on PostgreSQL, edit
    similarity elsewhere.
    """
    script, body = key[0], key[2:]
    folded = fold_vowels(body) if script == "l" else body
    same_fold = list(
        NameSpelling.objects.filter(script=script, folded=folded)
        .exclude(key=key)
        .values_list("key", flat=True)[:MAX_SPELLINGS_PER_WORD]
    )
    if connection.vendor == "postgresql":
        close = _trigram_similar(script, body)
    else:
        # The vocabulary is small: score the spellings that share the first letter.
        candidates = NameSpelling.objects.filter(
            script=script, body__startswith=body[:1]
        ).values_list("key", "body")
        scored = sorted(
            (
                (ratio, cand_key)
                for cand_key, cand_body in candidates.iterator(chunk_size=2000)
                if (ratio := SequenceMatcher(None, body, cand_body).ratio()) >= EDIT_SIMILARITY
            ),
            reverse=True,
        )
        close = [k for _, k in scored[:MAX_SPELLINGS_PER_WORD]]
    return list(dict.fromkeys([key, *same_fold, *close]))[: MAX_SPELLINGS_PER_WORD + 1]


def children_matching(
    queryset: QuerySet[Child], query: str, *, few_matches: int = FEW_MATCHES
) -> QuerySet[Child]:
    """Return the children of ``queryset`` whose names match every word of ``query``.

    Each query word may match any spelling variant. A child's joined name words are a
    key of their own, so "សុខសុធា" typed without a space finds "សុខ សុធា".

    When the rarest word of the query matches at most ``few_matches`` children, their
    ids are collected from the digest index first and narrowed word by word, so the
    database never walks the registry; common words that are rare together are
    intersected in the index; only a query whose words are common together is left to
    a join.
    """
    words = name_keys(query, joined=False)
    if not words:
        return queryset.none()
    digest_sets = [name_digests(_similar_spellings(word)) for word in words]
    keyed = ChildNameKey.objects.values_list("child_id", flat=True)
    counts = [
        keyed.filter(digest__in=digests)[: few_matches + 1].count() for digests in digest_sets
    ]
    order = sorted(range(len(words)), key=counts.__getitem__)
    if counts[order[0]] <= few_matches:
        ids = set(keyed.filter(digest__in=digest_sets[order[0]]))
        for i in order[1:]:
            if not ids:
                break
            ids = set(keyed.filter(digest__in=digest_sets[i], child_id__in=ids))
        return queryset.filter(pk__in=ids)
    if len(words) > 1:
        # Common words that are rare together: intersect them in the index.
        per_word = [keyed.filter(digest__in=digests) for digests in digest_sets]
        ids = set(per_word[0].intersection(*per_word[1:])[: few_matches + 1])
        if len(ids) <= few_matches:
            return queryset.filter(pk__in=ids)
    matched = queryset
    for digests in digest_sets:
        matched = matched.filter(pk__in=keyed.filter(digest__in=digests))
    return matched


def children_ranked(queryset: QuerySet[Child], query: str) -> QuerySet[Child]:
    """Return :func:`children_matching`, newest registration first.

    Newest first, not best spelling first: ranking every namesake of a common name
    would cost a probe per match, and among thousands of namesakes the birth year, sex
    and province narrow a search better than spelling does.
    """
    return children_matching(queryset, query).order_by("-registered_at")
