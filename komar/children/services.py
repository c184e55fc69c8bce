"""Writes of children: registration, changes, consent, guardians.

Both the web forms and the API call these functions, so one set of rules holds for
both. Each validates everything before writing anything, and writes the record, its
name index and its audit event in one transaction.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from komar.accounts.models import User
from komar.accounts.roles import Perm
from komar.audit import events
from komar.children.models import Child, ConsentKind, ConsentRecord, DobPrecision, Guardian, Sex
from komar.children.search import name_index_refresh
from komar.core.countries import COUNTRIES, LANGUAGES
from komar.core.khmer import ascii_digits, has_khmer, normalize_khmer
from komar.geo.models import Village

NAME_MAX = 100
ALIASES_MAX = 10
ID_MAX = 50
PHONE_MAX = 20
# Guardians, parents, siblings and other contacts of one child: a large family fits.
GUARDIANS_MAX = 30
OLDEST_AGE = 120

CHILD_FIELDS = (
    "name_km",
    "family_name",
    "given_name",
    "aliases",
    "sex",
    "date_of_birth",
    "birth_year",
    "dob_precision",
    "nationality",
    "languages",
    "village",
    "ministry_case_number",
    "external_id",
)


@dataclass
class GuardianInput:
    name: str
    relationship: str
    phone: str = ""
    is_primary_contact: bool = False


@dataclass
class ChildInput:
    """What a person may say about a child; ``None`` means "not given" on update."""

    name_km: str | None = None
    family_name: str | None = None
    given_name: str | None = None
    aliases: Sequence[str] | None = None
    sex: str | None = None
    date_of_birth: date | None = None
    birth_year: int | None = None
    age_at_intake: int | None = None
    nationality: str | None = None
    languages: Sequence[str] | None = None
    village_code: str | None = None
    ministry_case_number: str | None = None
    external_id: str | None = None
    consents: Mapping[str, bool] = field(default_factory=dict)
    guardians: Sequence[GuardianInput] | None = None


def _clean_text(
    value: str, *, field_name: str, errors: dict[str, list[str]], max_length: int = NAME_MAX
) -> str:
    value = normalize_khmer(value or "")
    if any(ord(ch) < 32 for ch in value):
        errors.setdefault(field_name, []).append(_("Remove the control characters."))
    if len(value) > max_length:
        errors.setdefault(field_name, []).append(
            _("Use at most %(max)d characters (it has %(n)d).")
            % {"max": max_length, "n": len(value)}
        )
    return value


def _clean_identifier(value: str, *, field_name: str, errors: dict[str, list[str]]) -> str:
    return _clean_text(
        ascii_digits(value or ""), field_name=field_name, errors=errors, max_length=ID_MAX
    )


def _clean_child(
    data: ChildInput, *, partial: bool, today: date
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Return the cleaned values and the errors, field by field."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    for name in ("name_km", "family_name", "given_name"):
        value = getattr(data, name)
        if value is not None:
            out[name] = _clean_text(value, field_name=name, errors=errors)
    if out.get("name_km") and not has_khmer(out["name_km"]):
        errors.setdefault("name_km", []).append(_("Write this name in Khmer script."))
    if data.aliases is not None:
        aliases = [
            a
            for a in (_clean_text(a, field_name="aliases", errors=errors) for a in data.aliases)
            if a
        ]
        if len(aliases) > ALIASES_MAX:
            errors.setdefault("aliases", []).append(
                _("Give at most %(max)d aliases.") % {"max": ALIASES_MAX}
            )
        out["aliases"] = aliases
    if data.sex is not None:
        if data.sex not in Sex.values:
            errors.setdefault("sex", []).append(_("Choose one of the listed values."))
        out["sex"] = data.sex
    if data.nationality is not None:
        if data.nationality not in COUNTRIES:
            errors.setdefault("nationality", []).append(_("Choose one of the listed countries."))
        out["nationality"] = data.nationality
    if data.languages is not None:
        unknown = [code for code in data.languages if code not in LANGUAGES]
        if unknown:
            errors.setdefault("languages", []).append(_("Choose languages from the list."))
        out["languages"] = list(dict.fromkeys(data.languages))
    if data.village_code is not None:
        code = ascii_digits(data.village_code).strip()
        if code:
            village = Village.objects.filter(pk=code).first()
            if village is None:
                errors.setdefault("village_code", []).append(_("Unknown village code."))
            out["village"] = village
        else:
            out["village"] = None
    for name in ("ministry_case_number", "external_id"):
        value = getattr(data, name)
        if value is not None:
            out[name] = _clean_identifier(value, field_name=name, errors=errors)
    _clean_birth(data, out, errors, today=today, partial=partial)
    if not partial and not (out.get("name_km") or out.get("family_name") or out.get("given_name")):
        errors.setdefault("name_km", []).append(
            _("Give the child's name in Khmer script or in Latin letters.")
        )
    unknown_consents = set(data.consents) - set(ConsentKind.values)
    if unknown_consents:
        errors.setdefault("consents", []).append(_("Unknown kind of consent."))
    return out, errors


def _clean_birth(
    data: ChildInput,
    out: dict[str, Any],
    errors: dict[str, list[str]],
    *,
    today: date,
    partial: bool,
) -> None:
    given = [v is not None for v in (data.date_of_birth, data.birth_year, data.age_at_intake)]
    if sum(given) > 1:
        errors.setdefault("date_of_birth", []).append(
            _("Give the date of birth, the year of birth or the age, not several.")
        )
        return
    if data.date_of_birth is not None:
        dob = data.date_of_birth
        if dob > today:
            errors.setdefault("date_of_birth", []).append(
                _("The date of birth cannot be in the future.")
            )
        elif today.year - dob.year > OLDEST_AGE:
            errors.setdefault("date_of_birth", []).append(
                _("This date of birth is too far in the past.")
            )
        out.update(date_of_birth=dob, birth_year=dob.year, dob_precision=DobPrecision.EXACT)
    elif data.birth_year is not None:
        if data.birth_year > today.year:
            errors.setdefault("birth_year", []).append(
                _("The year of birth cannot be in the future.")
            )
        elif today.year - data.birth_year > OLDEST_AGE:
            errors.setdefault("birth_year", []).append(
                _("This year of birth is too far in the past.")
            )
        out.update(date_of_birth=None, birth_year=data.birth_year, dob_precision=DobPrecision.YEAR)
    elif data.age_at_intake is not None:
        if not 0 <= data.age_at_intake <= OLDEST_AGE:
            errors.setdefault("age_at_intake", []).append(
                _("Give an age between 0 and %(max)d.") % {"max": OLDEST_AGE}
            )
        out.update(
            date_of_birth=None,
            birth_year=today.year - data.age_at_intake,
            dob_precision=DobPrecision.AGE,
        )
    elif not partial:
        out.update(date_of_birth=None, birth_year=None, dob_precision=DobPrecision.UNKNOWN)


def _clean_guardians(
    guardians: Sequence[GuardianInput], errors: dict[str, list[str]]
) -> list[GuardianInput]:
    cleaned: list[GuardianInput] = []
    if len(guardians) > GUARDIANS_MAX:
        errors.setdefault("guardians", []).append(
            _("Give at most %(max)d guardians.") % {"max": GUARDIANS_MAX}
        )
    for g in guardians:
        name = _clean_text(g.name, field_name="guardians", errors=errors)
        if not name:
            errors.setdefault("guardians", []).append(_("Give each guardian's name."))
        if g.relationship not in Guardian.Relationship.values:
            errors.setdefault("guardians", []).append(
                _("Choose each guardian's relationship from the list.")
            )
        phone = ascii_digits(g.phone or "").strip()
        if phone and (
            len(phone) > PHONE_MAX
            or not all(ch.isascii() and (ch.isdigit() or ch in "+ -") for ch in phone)
        ):
            errors.setdefault("guardians", []).append(
                _("Write phone numbers with digits, spaces, '+' and '-' only.")
            )
        cleaned.append(
            GuardianInput(
                name=name,
                relationship=g.relationship,
                phone=phone,
                is_primary_contact=g.is_primary_contact,
            )
        )
    return cleaned


def _snapshot(child: Child) -> dict[str, Any]:
    snap = {name: getattr(child, name) for name in CHILD_FIELDS if name != "village"}
    snap["village"] = child.village_id
    for kind in ConsentKind.values:
        snap[f"consent_{kind}"] = child.consent(kind)
    return snap


def _set_consents(child: Child, consents: Mapping[str, bool]) -> None:
    """Set the child's current consents (saved with the child)."""
    for kind, granted in consents.items():
        setattr(child, f"consent_{kind}", bool(granted))


def _record_consents(*, actor: User, child: Child, consents: Mapping[str, bool], now: Any) -> None:
    """Add a consent record for each consent given or withdrawn since the last one.

    Giving and withdrawing are audited as such; a consent first recorded as not given
    is part of the registration's own event. Withdrawing consent to disclosure takes
    effect at once: the grants that need it (a partner's referral) stop working.
    """
    for kind, granted in consents.items():
        latest = ConsentRecord.objects.filter(child=child, kind=kind).first()
        if latest is None or latest.granted != bool(granted):
            ConsentRecord.objects.create(
                child=child, kind=kind, granted=bool(granted), recorded_at=now, recorded_by=actor
            )
            if granted or latest is not None:
                events.consent_changed(actor=actor, obj=child, kind=kind, granted=bool(granted))


def _guardian_rows(child: Child) -> list[tuple[str, str, str, bool]]:
    return [
        (g.name, g.relationship, g.phone, g.is_primary_contact)
        for g in child.guardians.order_by("pk")
    ]


def _replace_guardians(child: Child, guardians: Sequence[GuardianInput]) -> bool:
    """Make the child's guardians those given; return True when they changed."""
    wanted = [(g.name, g.relationship, g.phone, g.is_primary_contact) for g in guardians]
    if child.pk and _guardian_rows(child) == wanted:
        return False
    child.guardians.all().delete()
    Guardian.objects.bulk_create(
        [
            Guardian(
                child=child,
                name=g.name,
                relationship=g.relationship,
                phone=g.phone,
                is_primary_contact=g.is_primary_contact,
            )
            for g in guardians
        ]
    )
    return True


@transaction.atomic
def child_register(*, actor: User, data: ChildInput) -> Child:
    """Register a child on behalf of ``actor``'s organisation; raise ValidationError
    (a dict of field errors) and write nothing when any value is wrong."""
    if not actor.has_role_perm(Perm.CHILD_ADD):
        raise PermissionDenied
    now = timezone.now()
    values, errors = _clean_child(data, partial=False, today=timezone.localdate())
    guardians = _clean_guardians(data.guardians or [], errors)
    if errors:
        raise ValidationError(errors)
    child = Child(
        # Roles that may add a child belong to an organisation.
        organisation_id=cast(int, actor.organisation_id),
        registered_by=actor,
        registered_at=now,
        **values,
    )
    _set_consents(child, data.consents)
    child.full_clean(exclude=["organisation", "registered_by"])
    child.save()
    _record_consents(actor=actor, child=child, consents=data.consents, now=now)
    _replace_guardians(child, guardians)
    name_index_refresh(child)
    given = [k for k, v in values.items() if v not in (None, "", [])]
    given += [f"consent_{k}" for k, v in data.consents.items() if v]
    if guardians:
        given.append("guardians")
    events.record_created(actor=actor, obj=child, fields=given)
    return child


@transaction.atomic
def child_update(*, actor: User, child: Child, data: ChildInput) -> Child:
    """Change what is given in ``data`` of a child the actor holds (from the chokepoint)."""
    if not actor.has_role_perm(Perm.CHILD_CHANGE):
        raise PermissionDenied
    child = Child.objects.select_for_update().get(pk=child.pk)
    before = _snapshot(child)
    values, errors = _clean_child(data, partial=True, today=timezone.localdate())
    guardians = _clean_guardians(data.guardians, errors) if data.guardians is not None else None
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(child, name, value)
    _set_consents(child, data.consents)
    child.full_clean(exclude=["organisation", "registered_by"])
    if not (child.name_km or child.family_name or child.given_name):
        raise ValidationError(
            {"name_km": [_("Give the child's name in Khmer script or in Latin letters.")]}
        )
    child.save()
    _record_consents(actor=actor, child=child, consents=data.consents, now=timezone.now())
    changes = events.field_changes(Child, before, _snapshot(child))
    if guardians is not None and _replace_guardians(child, guardians):
        changes["guardians"] = {"changed": True}
    if {"name_km", "family_name", "given_name", "aliases"} & set(changes):
        name_index_refresh(child)
    events.record_updated(actor=actor, obj=child, changes=changes)
    return child
