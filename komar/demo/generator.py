"""Synthetic children with cases, in bulk, for demos and benchmarks.

:func:`generate` writes what the registration and case services would write for each
child (the child with its encrypted fields, consent records, guardians, the name index,
a case with its number, one screening decided by the screening rule, and the case's
exploitation rows) but in batches through ``bulk_create``, so a million children take
minutes rather than hours.

No audit events are written: generating synthetic records is not a person viewing or
changing a child's record, and the audit trail must hold only such actions.

Nothing here is about real people: names come from :mod:`komar.children.common_names`, places from
the gazetteer, and the mix of cases from :mod:`komar.demo.routes`. Never log a generated
name either: the same code paths handle real records.
"""

import multiprocessing
import random
import secrets
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models, router, transaction
from django.db.models import Max
from django.db.models.fields import AutoFieldMixin
from django.db.models.functions import Cast, Substr
from django.utils import timezone

from komar.access.models import Grant, GrantReason
from komar.accounts.models import Organisation, User
from komar.accounts.roles import Role
from komar.cases.choices import CaseStatus, ExploitationType, RiskLevel, ScreeningResult
from komar.cases.models import Case, CaseExploitation, Screening
from komar.cases.screening import screening_decide
from komar.children import common_names as names
from komar.children.models import (
    Child,
    ChildNameKey,
    ConsentKind,
    ConsentRecord,
    DobPrecision,
    Guardian,
    Sex,
)
from komar.children.search import child_name_keys, spellings_ensure
from komar.core.crypto import EncryptedField, index_digest, index_key_id
from komar.core.khmer import normalize_khmer
from komar.demo.routes import CENSUS_2019, ROUTES, Route
from komar.geo.models import Village

Progress = Callable[[int, int], None]

# Rows per executemany call (SQLite and other databases without COPY).
INSERT_CHUNK = 1000
# Keys passed to one spellings_ensure call (one IN (...) query).
SPELLINGS_CHUNK = 10_000
YEARS_OF_HISTORY = 15
TABLES = (
    "children", "guardians", "consent_records", "name_keys", "cases", "screenings",
    "case_exploitations", "grants",
)  # fmt: skip

FORMAL_IDENTIFIERS = (
    "Ministry of Interior, Department of Anti-Human Trafficking and Juvenile Protection",
    "Provincial Police Commissariat, Anti-Human Trafficking and Juvenile Protection Office",
    "Ministry of Social Affairs, Veterans and Youth Rehabilitation (Poipet transit centre)",
)
PHONE_PREFIXES = (
    "010", "011", "012", "015", "016", "017", "060", "066", "067", "068", "069", "070",
    "077", "078", "081", "085", "086", "087", "088", "089", "090", "092", "093", "095",
    "096", "097", "098",
)  # fmt: skip
RELATIONSHIPS = (
    (Guardian.Relationship.MOTHER, 40),
    (Guardian.Relationship.FATHER, 25),
    (Guardian.Relationship.GRANDPARENT, 15),
    (Guardian.Relationship.AUNT_UNCLE, 8),
    (Guardian.Relationship.SIBLING, 5),
    (Guardian.Relationship.FOSTER, 2),
    (Guardian.Relationship.LEGAL_GUARDIAN, 2),
    (Guardian.Relationship.OTHER, 3),
)
CONSENT_RATES = {
    ConsentKind.SERVICES: 0.93,
    ConsentKind.DISCLOSURE: 0.72,
    ConsentKind.DATA_SHARING: 0.58,
    ConsentKind.TRACING: 0.66,
}
# Case stage by time since intake: (days since intake below, weights per status).
STATUS_BY_AGE = (
    (60, ((CaseStatus.INTAKE, 70), (CaseStatus.PRE_REINTEGRATION, 30))),
    (
        365,
        (
            (CaseStatus.INTAKE, 15),
            (CaseStatus.PRE_REINTEGRATION, 40),
            (CaseStatus.REINTEGRATION, 35),
            (CaseStatus.FOLLOW_UP, 8),
            (CaseStatus.CLOSED, 2),
        ),
    ),
    (
        3 * 365,
        (
            (CaseStatus.PRE_REINTEGRATION, 10),
            (CaseStatus.REINTEGRATION, 30),
            (CaseStatus.FOLLOW_UP, 35),
            (CaseStatus.CLOSED, 25),
        ),
    ),
    (
        10**9,
        (
            (CaseStatus.REINTEGRATION, 5),
            (CaseStatus.FOLLOW_UP, 15),
            (CaseStatus.CLOSED, 80),
        ),
    ),
)


class _Picker:
    """Weighted choice over a fixed population, with cumulative weights computed once."""

    __slots__ = ("items", "cum")

    def __init__(self, pairs: Sequence[tuple[Any, float]]) -> None:
        self.items = [item for item, _ in pairs]
        total = 0.0
        self.cum = []
        for _, weight in pairs:
            total += weight
            self.cum.append(total)

    def __call__(self, rng: random.Random) -> Any:
        return rng.choices(self.items, cum_weights=self.cum)[0]


def _names_picker(bank: Sequence[names.Name]) -> _Picker:
    return _Picker(list(zip(bank, names.zipf_weights(len(bank)), strict=True)))


class _Places:
    """Villages of the gazetteer: home villages by province population, and villages
    inside a unit (by code prefix) for places of exploitation."""

    def __init__(self, codes: Sequence[str]) -> None:
        self.codes = sorted(codes)
        self._by_prefix: dict[str, list[str]] = {}
        provinces = sorted({c[:2] for c in self.codes})
        weights = [(p, CENSUS_2019.get(p, 50_000)) for p in provinces]
        self._province = _Picker(weights) if weights else None

    def within(self, prefix: str) -> list[str]:
        found = self._by_prefix.get(prefix)
        if found is None:
            found = [c for c in self.codes if c.startswith(prefix)]
            self._by_prefix[prefix] = found
        return found

    def home(self, rng: random.Random) -> str | None:
        if self._province is None:
            return None
        return rng.choice(self.within(self._province(rng)))

    def destination(self, prefix: str, rng: random.Random) -> str | None:
        """Return a village in the unit, else in its province, else None (not loaded)."""
        for candidate in (prefix, prefix[:2]):
            villages = self.within(candidate)
            if villages:
                return rng.choice(villages)
        return None


def _last_case_numbers(organisation_id: int) -> dict[int, int]:
    """Return the highest case number sequence used per year by the organisation."""
    # Compare as numbers: "2024-100000" sorts before "2024-99999" as text.
    rows = (
        Case.objects.filter(organisation_id=organisation_id, number__regex=r"^[0-9]{4}-[0-9]+$")
        .annotate(year=Substr("number", 1, 4), seq=Cast(Substr("number", 6), models.IntegerField()))
        .values("year")
        .annotate(last=Max("seq"))
        .values_list("year", "last")
    )
    return {int(year): last for year, last in rows}


class _Table:
    """Rows of one model, written with one COPY (PostgreSQL) or ``executemany`` per batch.

    ``bulk_create`` spends most of its time compiling SQL for each row; here each value
    is still prepared by its own model field (encrypted fields encrypt, JSON, dates and
    UUIDs are adapted exactly as the ORM would), but the statement is built once. Fields
    the generator does not give take their default (``auto_now`` fields: now), so a
    field added to a model later with a default does not break generation.
    """

    def __init__(
        self, model: type[models.Model], names: Sequence[str], *, ready: Sequence[str] = ()
    ) -> None:
        meta = model._meta
        self.connection = connections[router.db_for_write(model)]
        # Names of concrete fields only, never reverse relations.
        fields = [cast("models.Field[Any, Any]", meta.get_field(name)) for name in names]
        given = set(names)
        self.missing = [
            f
            for f in meta.concrete_fields
            if f.name not in given and not isinstance(f, AutoFieldMixin)
        ]
        for f in self.missing:
            if f.unique or not (f.has_default() or f.null or getattr(f, "auto_now", False)):
                raise ImproperlyConfigured(
                    f"The generator gives no value for {meta.label}.{f.name}."
                )
        self.names = tuple(names)
        self.preps: list[Callable[[Any], Any] | None] = [
            None if name in ready or _passes_through(f) else self._prep(f)
            for name, f in zip(names, fields, strict=True)
        ]
        quote = self.connection.ops.quote_name
        columns = [f.column for f in fields] + [f.column for f in self.missing]
        # Table and column names come from the model's metadata, quoted; values are bound.
        column_list = ", ".join(map(quote, columns))  # type: ignore[arg-type]  # concrete fields have a column
        placeholders = ", ".join(["%s"] * len(columns))
        self.sql = f"INSERT INTO {quote(meta.db_table)} ({column_list}) VALUES ({placeholders})"  # noqa: S608
        self.copy_sql = f"COPY {quote(meta.db_table)} ({column_list}) FROM STDIN"
        self.rows: list[tuple[Any, ...]] = []

    def _prep(self, field: models.Field) -> Callable[[Any], Any]:
        connection = self.connection
        if isinstance(field, EncryptedField):
            # Never reuse a ciphertext: equal tokens would show which values are equal.
            return lambda value: field.get_db_prep_save(value, connection)
        last: list[Any] = [object(), None]

        def prep(value: Any) -> Any:
            # A child's rows share one timestamp object: adapt it once.
            if value is not last[0]:
                last[0], last[1] = value, field.get_db_prep_save(value, connection)
            return last[1]

        return prep

    def add(self, row: dict[str, Any]) -> None:
        self.rows.append(
            tuple(
                v if p is None else p(v)
                for v, p in zip(map(row.__getitem__, self.names), self.preps, strict=True)
            )
        )

    def flush(self) -> int:
        """Insert the rows added since the last flush; return how many."""
        now = timezone.now()
        extra = tuple(
            f.get_db_prep_save(
                now if getattr(f, "auto_now", False) else f.get_default(), self.connection
            )
            for f in self.missing
        )
        rows = [row + extra for row in self.rows] if extra else self.rows
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                # COPY: one round trip per table instead of one per row.
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                for start in range(0, len(rows), INSERT_CHUNK):
                    cursor.executemany(self.sql, rows[start : start + INSERT_CHUNK])
        count = len(rows)
        self.rows = []
        return count


def _passes_through(field: models.Field) -> bool:
    """Return True when the field stores a Python value unchanged (no need to prepare)."""
    if isinstance(field, EncryptedField):
        return False
    if isinstance(field, models.ForeignKey):
        field = field.target_field
    return isinstance(field, models.CharField | models.IntegerField | models.BooleanField)


@dataclass(frozen=True)
class _Task:
    index: int
    count: int
    seed: int
    numbers: dict[int, int]


def _streams(seed: int, index: int) -> tuple[random.Random, random.Random]:
    """Return the random streams of one batch: everything, and the intake years."""
    return (
        random.Random(f"{seed}:{index}"),  # noqa: S311 (synthetic data, not secrets)
        random.Random(f"{seed}:{index}:years"),  # noqa: S311
    )


class _Generator:
    """Build and write batches of synthetic children; a batch's randomness comes only
    from its seed and index, so any process can build any batch."""

    def __init__(
        self, *, organisation: Organisation, users: Sequence[User], places: _Places, today: date
    ):
        self.organisation_id = organisation.pk
        self.places = places
        self.today = today
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.now = timezone.now()
        # Case workers carry most cases; supervisors take some themselves.
        self.worker = _Picker([(u.pk, 4.0 if u.role == Role.CASE_WORKER else 1.0) for u in users])
        self.family = _names_picker(names.FAMILY_NAMES)
        self.girl = _names_picker(names.GIRLS_NAMES)
        self.boy = _names_picker(names.BOYS_NAMES)
        self.route = _Picker([(r, r.weight) for r in ROUTES])
        self.relationship = _Picker(RELATIONSHIPS)
        first = today.year - YEARS_OF_HISTORY + 1
        # Caseloads grow slowly over the years; this year counts only its days so far.
        year_weights = []
        for year in range(first, today.year + 1):
            weight = 0.8 + 0.4 * (year - first) / max(1, today.year - first)
            if year == today.year:
                weight *= (today.timetuple().tm_yday) / 365
            year_weights.append((year, weight))
        self.year = _Picker(year_weights)
        self.status = [(limit, _Picker(weights)) for limit, weights in STATUS_BY_AGE]
        self.pickers: dict[tuple[str, str], _Picker] = {}
        # Last case number used per year, set by the batch plan before each batch.
        self.numbers: dict[int, int] = {}
        # Caches of the name index (per process): spellings known to exist, digests.
        self.known_keys: set[str] = set()
        self.digests: dict[str, str] = {}

    def plan(self, *, children: int, seed: int, batch_size: int) -> list["_Task"]:
        """Split the work into batches, each knowing the case numbers it starts after."""
        last = _last_case_numbers(self.organisation_id)
        tasks = []
        for index, start in enumerate(range(0, children, batch_size)):
            count = min(batch_size, children - start)
            tasks.append(_Task(index=index, count=count, seed=seed, numbers=dict(last)))
            years = _streams(seed, index)[1]
            for year, n in Counter(self.year(years) for _ in range(count)).items():
                last[year] = last.get(year, 0) + n
        return tasks

    def run(self, task: "_Task") -> dict[str, int]:
        """Generate and write one batch; return the rows written per table."""
        rng, years = _streams(task.seed, task.index)
        self.numbers = dict(task.numbers)
        tables = _Tables()
        for _ in range(task.count):
            self.child(rng, years, tables)
        return tables.write(known_keys=self.known_keys, digests=self.digests)

    def _route_picker(self, route: Route, name: str) -> _Picker:
        key = (route.key, name)
        picker = self.pickers.get(key)
        if picker is None:
            picker = self.pickers[key] = _Picker(getattr(route, name))
        return picker

    def _number(self, year: int) -> str:
        self.numbers[year] = self.numbers.get(year, 0) + 1
        return f"{year}-{self.numbers[year]:05d}"

    def _intake_date(self, rng: random.Random, years: random.Random) -> date:
        # The year comes from its own stream, so the plan can count a batch's cases per
        # year (and so number them) without generating the batch.
        year = self.year(years)
        start = date(year, 1, 1)
        last = min(date(year, 12, 31), self.today)
        return start + timedelta(days=rng.randrange((last - start).days + 1))

    def _route(self, rng: random.Random, year: int) -> Route:
        while True:
            route = self.route(rng)
            if route.since <= year:
                return route

    @staticmethod
    def _age(rng: random.Random, route: Route) -> int:
        bands = [(lo, hi) for lo, hi, _ in route.ages]
        lo, hi = rng.choices(bands, weights=[w for _, _, w in route.ages])[0]
        return rng.randint(lo, hi)

    @staticmethod
    def _some(rng: random.Random, values: Sequence[str], lo: int, hi: int) -> list[str]:
        if not values:
            return []
        return rng.sample(list(values), min(len(values), rng.randint(lo, hi)))

    def _name(self, rng: random.Random, sex: str) -> tuple[names.Name, names.Name]:
        family = self.family(rng)
        given_bank = self.girl if sex == Sex.FEMALE else self.boy
        if sex not in (Sex.FEMALE, Sex.MALE):
            given_bank = self.girl if rng.random() < 0.5 else self.boy
        return family, given_bank(rng)

    def _phone(self, rng: random.Random) -> str:
        prefix = rng.choice(PHONE_PREFIXES)
        tail = (
            rng.randrange(10**6, 10**7)
            if prefix in ("096", "097", "088", "071")
            else rng.randrange(10**5, 10**6)
        )
        text = str(tail)
        return f"{prefix} {text[:3]} {text[3:]}"

    def child(self, rng: random.Random, years: random.Random, out: "_Tables") -> None:
        intake = self._intake_date(rng, years)
        route = self._route(rng, intake.year)
        age = self._age(rng, route)
        roll = rng.random()
        sex = Sex.FEMALE if roll < route.female else Sex.MALE
        if rng.random() < 0.003:
            sex = rng.choice((Sex.OTHER, Sex.UNKNOWN))
        (family_km, family_latin), (given_km, given_latin) = self._name(rng, sex)
        family = rng.choice(family_latin)
        given = rng.choice(given_latin)
        name_km = normalize_khmer(f"{family_km} {given_km}")
        if rng.random() < 0.04:
            name_km = ""  # registered from a police report in Latin letters only
        elif rng.random() < 0.03:
            family = given = ""  # registered in Khmer script only
        aliases: list[str] = []
        if rng.random() < 0.15:
            nick_km, nick_latin = rng.choice(names.NICKNAMES)
            aliases.append(
                normalize_khmer(nick_km) if rng.random() < 0.5 else rng.choice(nick_latin)
            )
            if rng.random() < 0.3:
                aliases.append(f"{rng.choice(family_latin)} {rng.choice(given_latin)}")

        # Birth: exact, year only, estimated from age at intake, or unknown.
        dob: date | None = None
        birth_year: int | None = None
        roll = rng.random()
        if roll < 0.42:
            precision = DobPrecision.EXACT
            dob = intake - timedelta(days=age * 365 + rng.randrange(365) + age // 4)
            birth_year = dob.year
            age = intake.year - dob.year - ((intake.month, intake.day) < (dob.month, dob.day))
        elif roll < 0.72:
            precision, birth_year = DobPrecision.YEAR, intake.year - age
        elif roll < 0.95:
            precision, birth_year = DobPrecision.AGE, intake.year - age
        else:
            precision = DobPrecision.UNKNOWN
        age_at_act = (
            None if precision == DobPrecision.UNKNOWN else max(0, age - (rng.random() < 0.3))
        )

        nationality, languages = "KH", ["km"]
        roll = rng.random()
        if roll < 0.025:
            nationality, languages = "VN", ["vi", "km"]
        elif roll < 0.03:
            nationality, languages = "TH", ["th", "km"]
        home = self.places.home(rng)
        hour = rng.randint(7, 17)
        registered_at = datetime(
            intake.year, intake.month, intake.day, hour, rng.randrange(60), tzinfo=self.tz
        )
        worker = self.worker(rng)
        consents = {kind: rng.random() < rate for kind, rate in CONSENT_RATES.items()}
        if not consents[ConsentKind.SERVICES]:
            consents[ConsentKind.DISCLOSURE] = False

        # A few withdraw data sharing later; the record keeps both steps.
        withdrawn = consents[ConsentKind.DATA_SHARING] and rng.random() < 0.03
        child_id = uuid.uuid4()
        child = out.uuid(child_id)  # the id as the database takes it, for the rows below
        out.children.add(
            {
                "id": child_id,
                "organisation": self.organisation_id,
                "registered_by": worker,
                "registered_at": registered_at,
                "name_km": name_km,
                "family_name": family,
                "given_name": given,
                "aliases": aliases,
                "sex": sex,
                "date_of_birth": dob,
                "birth_year": birth_year,
                "dob_precision": precision,
                "nationality": nationality,
                "languages": languages,
                "village": home,
                "ministry_case_number": (
                    f"MOSVY-{intake.year}-{rng.randrange(1, 10**5):05d}"
                    if rng.random() < 0.22
                    else ""
                ),
                "external_id": (
                    f"{rng.choice(('OSCAR', 'PRIMERO'))}-{rng.randrange(10**7):07d}"
                    if rng.random() < 0.1
                    else ""
                ),
                "consent_services": consents[ConsentKind.SERVICES],
                "consent_disclosure": consents[ConsentKind.DISCLOSURE],
                "consent_data_sharing": consents[ConsentKind.DATA_SHARING] and not withdrawn,
                "consent_tracing": consents[ConsentKind.TRACING],
            }
        )
        out.name_keys.append(
            (
                child,
                child_name_keys(
                    SimpleNamespace(  # has the name fields it reads
                        name_km=name_km, family_name=family, given_name=given, aliases=aliases
                    )
                ),
            )
        )
        for kind, granted in consents.items():
            out.consents.add(
                {
                    "child": child,
                    "kind": kind,
                    "granted": granted,
                    "recorded_at": registered_at,
                    "recorded_by": worker,
                }
            )
        if withdrawn:
            out.consents.add(
                {
                    "child": child,
                    "kind": ConsentKind.DATA_SHARING,
                    "granted": False,
                    "recorded_at": min(
                        self.now, registered_at + timedelta(days=rng.randint(10, 400))
                    ),
                    "recorded_by": worker,
                }
            )

        for index in range(rng.choices((0, 1, 2), weights=(15, 50, 35))[0]):
            relationship = self.relationship(rng)
            if relationship == Guardian.Relationship.FATHER:
                # The child's family name is traditionally the father's given name.
                parent_family_km, parent_family_latin = self.family(rng)
                parts_km, parts_latin = (
                    (parent_family_km, family_km),
                    (rng.choice(parent_family_latin), family or rng.choice(family_latin)),
                )
            else:
                (f_km, f_latin), (g_km, g_latin) = self._name(
                    rng,
                    Sex.FEMALE
                    if relationship == Guardian.Relationship.MOTHER
                    else rng.choice((Sex.FEMALE, Sex.MALE)),
                )
                parts_km, parts_latin = (f_km, g_km), (rng.choice(f_latin), rng.choice(g_latin))
            guardian_name = (
                normalize_khmer(" ".join(parts_km)) if rng.random() < 0.6 else " ".join(parts_latin)
            )
            out.guardians.add(
                {
                    "child": child,
                    "name": guardian_name,
                    "relationship": relationship,
                    "phone": self._phone(rng) if rng.random() < 0.7 else "",
                    "is_primary_contact": index == 0,
                }
            )

        self._case(
            rng,
            out,
            child=child,
            route=route,
            intake=intake,
            registered_at=registered_at,
            worker=worker,
            age_at_act=age_at_act,
            home=home,
        )

    def _case(self, rng: random.Random, out: "_Tables", *, child: Any, route: Route, intake: date,
              registered_at: datetime, worker: int, age_at_act: int | None, home: str | None) -> None:  # fmt: skip
        adult = age_at_act is not None and age_at_act >= 18
        acts = self._some(rng, route.acts, 1, 3)
        if route.means and rng.random() < (0.85 if adult else 0.7):
            means = self._some(rng, route.means, 1, 2)
        else:
            means = []
        types = list(route.types) + [t for t, p in route.extra_types if rng.random() < p]
        outcome = screening_decide(
            acts=acts, means=means, exploitation_types=types, age_at_act=age_at_act
        )

        exploitation_village: str | None = None
        exploitation_country = ""
        if route.exploited_at_home:
            exploitation_village = home
        elif route.destinations:
            destination = self._route_picker(route, "destinations")(rng)
            if destination.isdigit():
                exploitation_village = self.places.destination(destination, rng)
                exploitation_country = "KH"
            else:
                exploitation_country = destination
        if exploitation_village is not None:
            exploitation_country = "KH"  # as the screening service stores a village
        recruitment_village = home if acts and rng.random() < 0.8 else None

        days_open = (self.today - intake).days
        status = next(picker for limit, picker in self.status if days_open < limit)(rng)
        if status == CaseStatus.INTAKE and rng.random() < 0.5:  # assessment still to come
            risk = RiskLevel.NOT_ASSESSED
        else:
            high = 0.45 if ExploitationType.SEXUAL_EXPLOITATION in types else 0.25
            risk = rng.choices(
                (RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH),
                weights=(0.75 - high, 0.25 + 0.05, high),
            )[0]
        closed_at = None
        if status == CaseStatus.CLOSED:
            closed_at = min(self.now, registered_at + timedelta(days=rng.randint(120, 3 * 365)))
        formal_date = None
        formal_by = ""
        if outcome.result == ScreeningResult.POSSIBLE_VICTIM and rng.random() < 0.4:
            formal_date = min(self.today, intake + timedelta(days=rng.randint(3, 90)))
            formal_by = rng.choice(FORMAL_IDENTIFIERS)

        case_id = uuid.uuid4()
        out.cases.add(
            {
                "id": case_id,
                "number": self._number(intake.year),
                "child": child,
                "organisation": self.organisation_id,
                "intake_source": self._route_picker(route, "intake")(rng),
                "intake_date": intake,
                "assigned_to": worker,
                "status": status,
                "risk_level": risk,
                "screening_result": outcome.result,
                "formal_identification_date": formal_date,
                "formal_identification_by": formal_by,
                "opened_by": worker,
                "opened_at": registered_at,
                "closed_at": closed_at,
            }
        )
        case = out.uuid(case_id)
        out.screenings.add(
            {
                "case": case,
                "acts": acts,
                "means": means,
                "exploitation_types": types,
                "methods_of_control": self._some(rng, route.controls, 1, 3) if types else [],
                "indicators": self._some(rng, route.indicators, 1, 4) if types else [],
                "recruitment_method": (
                    self._route_picker(route, "recruitment")(rng) if route.recruitment else ""
                ),
                "recruitment_place_code": recruitment_village or "",
                "recruitment_place_level": "village" if recruitment_village else "",
                "recruitment_country": "KH" if recruitment_village else "",
                "exploitation_place_code": exploitation_village or "",
                "exploitation_place_level": "village" if exploitation_village else "",
                "exploitation_country": exploitation_country,
                "age_at_act": age_at_act,
                "treated_as_child": outcome.treated_as_child,
                "result": outcome.result,
                "notes": rng.choice(route.notes) if route.notes and rng.random() < 0.5 else "",
                "screened_by": worker,
                "screened_at": min(
                    self.now,
                    registered_at + timedelta(days=rng.randint(0, 10), hours=rng.randint(0, 6)),
                ),
            }
        )
        for exploitation_type in types:
            out.exploitations.add({"case": case, "type": exploitation_type})
        # As case_open writes it: the case worker sees the child through the case.
        out.grants.add(
            {
                "child": child,
                "case": case,
                "holder_user": worker,
                "reason": GrantReason.CASE_ASSIGNMENT,
                "source": "",
                "granted_at": registered_at,
                "granted_by": worker,
                "end_reason": "",
            }
        )


class _Tables:
    """The rows of one batch, table by table."""

    def __init__(self) -> None:
        self.children = _Table(
            Child,
            (
                "id", "organisation", "registered_by", "registered_at", "name_km", "family_name",
                "given_name", "aliases", "sex", "date_of_birth", "birth_year", "dob_precision",
                "nationality", "languages", "village", "ministry_case_number", "external_id",
                "consent_services", "consent_disclosure", "consent_data_sharing", "consent_tracing",
            ),
        )  # fmt: skip
        self.guardians = _Table(
            Guardian,
            ("child", "name", "relationship", "phone", "is_primary_contact"),
            ready=("child",),
        )
        self.consents = _Table(
            ConsentRecord,
            ("child", "kind", "granted", "recorded_at", "recorded_by"),
            ready=("child",),
        )
        self.name_key_rows = _Table(
            ChildNameKey, ("id", "child", "digest", "key_id"), ready=("child",)
        )
        self.cases = _Table(
            Case,
            (
                "id", "number", "child", "organisation", "intake_source", "intake_date", "assigned_to",
                "status", "risk_level", "screening_result", "formal_identification_date",
                "formal_identification_by", "opened_by", "opened_at", "closed_at",
            ),
            ready=("child",),
        )  # fmt: skip
        self.screenings = _Table(
            Screening,
            (
                "case", "acts", "means", "exploitation_types", "methods_of_control", "indicators",
                "recruitment_method", "recruitment_place_code", "recruitment_place_level",
                "recruitment_country", "exploitation_place_code", "exploitation_place_level",
                "exploitation_country", "age_at_act", "treated_as_child",
                "result", "notes", "screened_by", "screened_at",
            ),
            ready=("case",),
        )  # fmt: skip
        self.exploitations = _Table(CaseExploitation, ("case", "type"), ready=("case",))
        self.grants = _Table(
            Grant,
            ("child", "case", "holder_user", "reason", "source", "granted_at", "granted_by",
             "end_reason"),
            ready=("child", "case"),
        )  # fmt: skip
        # Children's name keys, indexed when the batch is written (see :meth:`write`).
        self.name_keys: list[tuple[Any, list[str]]] = []
        uuid_field = Child._meta.pk
        connection = self.children.connection
        self.uuid = lambda value: uuid_field.get_db_prep_save(value, connection)

    def write(self, *, known_keys: set[str], digests: dict[str, str]) -> dict[str, int]:
        """Insert the batch's records in one transaction; return the rows per table.

        The name index as :func:`komar.children.search.name_index_refresh` builds it (one
        keyed digest per key of each child, under random ids, in random order, with the
        index key's id), except that new spellings join the vocabulary at once: these
        names are synthetic, so there is nothing to hide by batching them.
        """
        # Sorted, so that two workers adding overlapping spellings lock them in the same
        # order (no deadlock); committed first, since a spelling says nothing about anyone.
        new_keys = sorted({k for _, keys in self.name_keys for k in keys if k not in known_keys})
        with transaction.atomic(using=self.children.connection.alias):
            for start in range(0, len(new_keys), SPELLINGS_CHUNK):
                spellings_ensure(new_keys[start : start + SPELLINGS_CHUNK])
        known_keys.update(new_keys)
        key_id = index_key_id()
        # As the service writes them: random ids, and no child's rows in the order of
        # its names (the whole batch is shuffled, which also does that). One generator
        # seeded from the system per batch: a system call per row cost 4% of the time.
        rng = random.Random(secrets.randbits(128))  # noqa: S311 (synthetic data: order only)
        rows = []
        for child, keys in self.name_keys:
            for key in keys:
                digest = digests.get(key)
                if digest is None:
                    digest = digests[key] = index_digest(key)
                rows.append(
                    {
                        "id": rng.getrandbits(63) or 1,
                        "child": child,
                        "digest": digest,
                        "key_id": key_id,
                    }
                )
        rng.shuffle(rows)
        for row in rows:
            self.name_key_rows.add(row)
        self.name_keys = []
        with transaction.atomic(using=self.children.connection.alias):
            written = {
                "children": self.children.flush(),
                "guardians": self.guardians.flush(),
                "consent_records": self.consents.flush(),
                "name_keys": self.name_key_rows.flush(),
                "cases": self.cases.flush(),
                "screenings": self.screenings.flush(),
                "case_exploitations": self.exploitations.flush(),
                "grants": self.grants.flush(),
            }
        return written


# The generator of the batch workers, set in the parent before they are forked.
_WORKER_GENERATOR: _Generator | None = None


def _fresh_connections() -> None:
    """Give a forked worker database connections of its own.

    The parent may hold open connections that ``connections`` does not hand back to it
    here (one per context, as when a browser test's event loop runs in the thread), so
    closing them before the fork is not enough. A worker replaces every inherited one;
    psycopg does not close a socket created by another process when it is collected.
    """
    for alias in connections:
        connections[alias] = connections.create_connection(alias)


def _work(task: _Task) -> dict[str, int]:
    assert _WORKER_GENERATOR is not None  # noqa: S101 (set before the pool forks)
    return _WORKER_GENERATOR.run(task)


def generate(
    *,
    children: int,
    seed: int,
    organisation: Organisation,
    users: list[User],
    batch_size: int = 5000,
    progress: Progress | None = None,
    workers: int = 1,
) -> dict[str, Any]:
    """Create ``children`` synthetic children of ``organisation``, each with one case.

    The cases are registered by, assigned to and screened by ``users`` (case workers
    and supervisors of the organisation). The same seed, organisation, users, batch
    size and day give the same records, whatever the number of workers. Each batch is
    written in its own transaction. With ``workers`` > 1 on PostgreSQL, batches are
    generated and written by that many forked processes (outside a transaction only:
    they cannot see uncommitted rows); elsewhere one process does all. Return the rows
    written per table, the seconds taken and the children per second.

    No audit event is written: synthetic generation is not a person's action on a
    child's record.
    """
    global _WORKER_GENERATOR  # inherited by the forked workers
    if not settings.KOMAR_ALLOW_DEMO_DATA:
        raise ImproperlyConfigured(
            "Synthetic data is disabled here (KOMAR_ALLOW_DEMO_DATA is off, as in production)."
        )
    if children < 0 or batch_size < 1 or workers < 1:
        raise ValueError("children must be zero or more, batch_size and workers one or more")
    if not users:
        raise ValueError("Give at least one user to register and hold the cases.")
    if any(u.organisation_id != organisation.pk for u in users):
        raise ValueError("Every user must belong to the organisation.")
    started = time.perf_counter()
    places = _Places(list(Village.objects.values_list("code", flat=True)))
    gen = _Generator(
        organisation=organisation, users=users, places=places, today=timezone.localdate()
    )
    tasks = gen.plan(children=children, seed=seed, batch_size=batch_size)
    connection = connections[router.db_for_write(Child)]
    parallel = (
        workers > 1
        and len(tasks) > 1
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
    )
    totals: Counter[str] = Counter()
    done = 0
    if parallel:
        connections.close_all()  # each worker opens its own connection
        _WORKER_GENERATOR = gen
        try:
            with multiprocessing.get_context("fork").Pool(
                workers, initializer=_fresh_connections
            ) as pool:
                for written in pool.imap_unordered(_work, tasks):
                    totals.update(written)
                    done += written["children"]
                    if progress is not None:
                        progress(done, children)
        finally:
            _WORKER_GENERATOR = None
    else:
        for task in tasks:
            written = gen.run(task)
            totals.update(written)
            done += written["children"]
            if progress is not None:
                progress(done, children)
    seconds = time.perf_counter() - started
    return {
        **{table: totals[table] for table in TABLES},
        "workers": workers if parallel else 1,
        "seconds": round(seconds, 2),
        "rate": round(done / seconds, 1) if seconds else 0.0,
    }
