"""The name index: find children by any spelling of any word of their names.

Names are encrypted, so the database cannot search them. Each name word is reduced to
a spelling-tolerant key (``komar.core.khmer.name_keys``). The distinct keys form a small
vocabulary (:class:`NameSpelling`, hundreds to thousands of rows however many children
there are); each child holds only keyed digests of its keys (:class:`ChildNameKey`).
A search finds the vocabulary entries close to each query word (trigram similarity on
PostgreSQL, prefix and edit similarity elsewhere), turns them into digests and fetches
children through a plain btree index. This stays fast at millions of children, where a
trigram index over names themselves does not.
"""

from collections.abc import Iterable
from difflib import SequenceMatcher

from django.db import connection
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from komar.children.models import Child, ChildNameKey, NameSpelling
from komar.core.crypto import index_digest
from komar.core.khmer import name_keys

MAX_SPELLINGS_PER_WORD = 40
SIMILARITY = 0.5


def child_name_keys(child: Child) -> list[str]:
    """Return the search keys of all of a child's names and aliases."""
    keys: list[str] = []
    for text in [child.name_km, child.family_name, child.given_name, *(child.aliases or [])]:
        if text:
            keys.extend(name_keys(text))
    latin = " ".join(p for p in (child.family_name, child.given_name) if p)
    if latin:
        keys.extend(name_keys(latin))
    return list(dict.fromkeys(keys))


def spellings_ensure(keys: Iterable[str]) -> None:
    """Add any new keys to the vocabulary."""
    keys = list(dict.fromkeys(keys))
    existing = set(NameSpelling.objects.filter(key__in=keys).values_list("key", flat=True))
    NameSpelling.objects.bulk_create(
        [NameSpelling(key=k, script=k[0], body=k[2:]) for k in keys if k not in existing],
        ignore_conflicts=True,
    )


def name_index_refresh(child: Child) -> None:
    """Rebuild a child's name index after its names changed."""
    keys = child_name_keys(child)
    spellings_ensure(keys)
    ChildNameKey.objects.filter(child=child).delete()
    ChildNameKey.objects.bulk_create(
        [ChildNameKey(child=child, digest=index_digest(k)) for k in keys], ignore_conflicts=True
    )


def _similar_spellings(key: str) -> list[str]:
    """Return vocabulary keys that may be the same word as ``key``, closest first."""
    script, body = key[0], key[2:]
    if connection.vendor == "postgresql" and len(body) >= 3:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT key FROM children_namespelling "
                "WHERE script = %s AND (body %% %s OR body LIKE %s) "
                "ORDER BY similarity(body, %s) DESC LIMIT %s",
                [
                    script,
                    body,
                    body.replace("%", "").replace("_", "") + "%",
                    body,
                    MAX_SPELLINGS_PER_WORD,
                ],
            )
            found = [row[0] for row in cursor.fetchall()]
        return [key, *[k for k in found if k != key]]
    # Portable fallback: same first letter, then prefix or edit similarity in Python.
    # The vocabulary is small, so this stays correct and fast enough for the embedded
    # default.
    candidates = NameSpelling.objects.filter(script=script, body__startswith=body[:1]).values_list(
        "key", "body"
    )
    scored = []
    for cand_key, cand_body in candidates.iterator(chunk_size=2000):
        if cand_body.startswith(body):
            score = 1.0 if cand_body == body else 0.9
        else:
            score = SequenceMatcher(None, body, cand_body).ratio()
        if score >= 0.75:
            scored.append((score, cand_key))
    scored.sort(reverse=True)
    found = [k for _, k in scored[:MAX_SPELLINGS_PER_WORD]]
    return [key, *[k for k in found if k != key]]


def children_matching(queryset: QuerySet[Child], query: str) -> QuerySet[Child]:
    """Return the children of ``queryset`` whose names match every word of ``query``.

    Each query word may match any spelling variant. A child's joined name words are a
    key of their own, so "សុខសុធា" typed without a space finds "សុខ សុធា".
    """
    words = name_keys(query, joined=False)
    if not words:
        return queryset.none()
    matched = queryset
    for word in words:
        digests = [index_digest(k) for k in _similar_spellings(word)]
        matched = matched.filter(
            pk__in=ChildNameKey.objects.filter(digest__in=digests).values("child_id")
        )
    return matched


def children_ranked(queryset: QuerySet[Child], query: str) -> QuerySet[Child]:
    """Return :func:`children_matching`, those sharing more exact spellings first."""
    words = name_keys(query, joined=False)
    matched = children_matching(queryset, query)
    exact = [index_digest(k) for k in words]
    exact_hits = (
        ChildNameKey.objects.filter(child=OuterRef("pk"), digest__in=exact)
        .values("child")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return matched.annotate(exact_hits=Coalesce(Subquery(exact_hits), 0)).order_by(
        "-exact_hits", "-registered_at"
    )
