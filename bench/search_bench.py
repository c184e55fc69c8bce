"""Benchmark: find a child by a spelling variant among N synthetic children.

Usage: DATABASE_URL=... python bench/search_bench.py --children 1000000 [--queries 200]
"""

import argparse
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "komar.settings.local")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from komar.accounts.models import User  # noqa: E402
from komar.children.models import Child  # noqa: E402
from komar.children.selectors import children_search  # noqa: E402
from komar.core.khmer import SUBSCRIPT_DA, SUBSCRIPT_TA  # noqa: E402

PAGE = 20


def latin_variant(rng: random.Random, name: str) -> str:
    """Return another everyday romanisation of a Latin name."""
    swaps = [("y", "i"), ("i", "y"), ("ch", "chh"), ("k", "kh"), ("ea", "eah"), ("ey", "ei")]
    rng.shuffle(swaps)
    for old, new in swaps:
        if old in name.lower():
            return name.lower().replace(old, new, 1)
    return name.upper()


def khmer_variant(name: str) -> str:
    """Return the Khmer name as it may be typed: subscripts swapped, a zero-width space."""
    swapped = (
        name.replace(SUBSCRIPT_TA, "\0")
        .replace(SUBSCRIPT_DA, SUBSCRIPT_TA)
        .replace("\0", SUBSCRIPT_DA)
    )
    return swapped.replace(" ", "\u200b", 1)


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("komar_setup_demo", stdout=io.StringIO())
    have = Child.objects.count()
    if have < args.children:
        started = time.perf_counter()
        call_command(
            "generate_synthetic_data",
            children=args.children - have,
            seed=args.seed,
            stdout=io.StringIO(),
        )
        seconds = time.perf_counter() - started
        print(
            f"generated {args.children - have:,} children in {seconds:,.0f} s ({(args.children - have) / seconds:,.0f}/s)"
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    total = Child.objects.count()
    user = User.objects.get(username="admin")  # organisation scope: sees every demo child
    rng = random.Random(args.seed)
    sample_ids = list(Child.objects.order_by("?").values_list("pk", flat=True)[: args.queries])
    sample = list(Child.objects.filter(pk__in=sample_ids))
    kinds: dict[str, list[str]] = {
        "latin exact": [],
        "latin variant": [],
        "khmer variant": [],
        "latin + birth year": [],
    }
    for child in sample:
        latin = f"{child.family_name} {child.given_name}".strip()
        kinds["latin exact"].append(latin)
        kinds["latin variant"].append(f"{latin_variant(rng, child.family_name)} {child.given_name}")
        if child.name_km:
            kinds["khmer variant"].append(khmer_variant(child.name_km))
    print(f"children: {total:,}; database: {connection.vendor}; queries per kind: {len(sample)}")
    for kind, queries in kinds.items():
        if kind == "latin + birth year":
            times = [
                timed(
                    lambda c=c: list(
                        children_search(
                            user=user, q=f"{c.family_name} {c.given_name}", birth_year=c.birth_year
                        )[:PAGE]
                    )
                )
                for c in sample
            ]
        else:
            for q in queries[:5]:  # warm-up
                list(children_search(user=user, q=q)[:PAGE])
            times = [
                timed(lambda q=q: list(children_search(user=user, q=q)[:PAGE])) for q in queries
            ]
        if not times:
            continue
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"{kind:>20}: median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms")


if __name__ == "__main__":
    main()
