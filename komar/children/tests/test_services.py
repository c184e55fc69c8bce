"""Registration and change rules: every bad value is named, nothing is half-saved."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from komar.audit.models import AuditEvent
from komar.children.models import Child, ConsentRecord, Guardian
from komar.children.services import ChildInput, GuardianInput, child_register, child_update
from komar.children.tests.helpers import register_child


def errors_of(actor, **fields) -> dict:
    with pytest.raises(ValidationError) as info:
        child_register(actor=actor, data=ChildInput(**fields))
    return info.value.message_dict


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"family_name": "Sok", "village_code": "99999999"},
            "village_code",
            "Unknown village code.",
        ),
        (
            {"family_name": "Sok", "date_of_birth": datetime.date(2031, 1, 1)},
            "date_of_birth",
            "The date of birth cannot be in the future.",
        ),
        (
            {"family_name": "Sok", "birth_year": 1850},
            "birth_year",
            "This year of birth is too far in the past.",
        ),
        ({"family_name": "x" * 101}, "family_name", "Use at most 100 characters (it has 101)."),
        ({"name_km": "Sok"}, "name_km", "Write this name in Khmer script."),
        ({}, "name_km", "Give the child's name in Khmer script or in Latin letters."),
        ({"family_name": "Sok", "sex": "boy"}, "sex", "Choose one of the listed values."),
        (
            {"family_name": "Sok", "birth_year": 2010, "age_at_intake": 12},
            "date_of_birth",
            "Give the date of birth, the year of birth or the age, not several.",
        ),
        (
            {
                "family_name": "Sok",
                "guardians": [GuardianInput(name="Mother", relationship="mother", phone="abc")],
            },
            "guardians",
            "Write phone numbers with digits, spaces, '+' and '-' only.",
        ),
    ],
)
@time_machine.travel(datetime.datetime(2026, 11, 24, 10, tzinfo=datetime.UTC))
def test_bad_values_are_named_and_nothing_is_saved(world, fields, field, message) -> None:
    errors = errors_of(world.user("case_worker"), **fields)
    assert message in errors[field]
    assert Child.objects.count() == 0
    assert Guardian.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_html_in_a_name_is_stored_as_text(world) -> None:
    child = register_child(
        world.user("case_worker"), family_name="<script>alert(1)</script>", name_km=""
    )
    assert Child.objects.get(pk=child.pk).family_name == "<script>alert(1)</script>"


def test_khmer_digits_in_identifiers_and_phones(world) -> None:
    child = register_child(
        world.user("case_worker"),
        ministry_case_number="MOSVY-២០២៦-០១",
        guardians=[GuardianInput(name="ម្ដាយ", relationship="mother", phone="០១២ ៣៤៥ ៦៧៨")],
    )
    assert child.ministry_case_number == "MOSVY-2026-01"
    assert child.guardians.get().phone == "012 345 678"


@time_machine.travel(datetime.datetime(2026, 11, 24, 10, tzinfo=datetime.UTC))
def test_age_at_intake_gives_an_estimated_birth_year(world) -> None:
    child = register_child(world.user("case_worker"), birth_year=None, age_at_intake=14)
    assert (child.birth_year, child.dob_precision, child.date_of_birth) == (2012, "age", None)


def test_consent_is_recorded_with_who_and_when_and_withdrawal_has_effect(world) -> None:
    worker = world.user("case_worker")
    child = register_child(worker, consents={"services": True, "disclosure": True})
    assert child.consent_services
    assert child.consent_disclosure
    assert not child.consent_tracing
    child_update(actor=worker, child=child, data=ChildInput(consents={"disclosure": False}))
    child.refresh_from_db()
    assert child.consent_disclosure is False
    history = list(
        ConsentRecord.objects.filter(child=child, kind="disclosure").values_list(
            "granted", "recorded_by__username"
        )
    )
    assert history == [(False, "case_worker"), (True, "case_worker")]


def test_roles_without_register_permission_are_refused(world) -> None:
    for role in (
        "shelter_worker",
        "lawyer",
        "prevention_officer",
        "data_officer",
        "partner_user",
        "administrator",
    ):
        with pytest.raises(PermissionDenied):
            child_register(actor=world.user(role), data=ChildInput(family_name="Sok"))
    assert Child.objects.count() == 0


def test_update_audits_names_of_sensitive_fields_only(world) -> None:
    worker = world.user("case_worker")
    child = register_child(worker)
    child_update(actor=worker, child=child, data=ChildInput(family_name="Sokh", sex="male"))
    event = AuditEvent.objects.filter(action="update").get()
    assert event.changes["family_name"] == {"changed": True}
    assert event.changes["sex"] == {"old": "female", "new": "male"}
    assert "Sokh" not in str(event.changes)


def test_guardians_sent_again_unchanged_are_not_recorded_as_changed(world) -> None:
    worker = world.user("case_worker")
    mother = GuardianInput(name="ម្ដាយ", relationship="mother", phone="012345678")
    child = register_child(worker, guardians=[mother])
    child_update(actor=worker, child=child, data=ChildInput(sex="male", guardians=[mother]))
    child_update(
        actor=worker,
        child=child,
        data=ChildInput(guardians=[mother, GuardianInput(name="ឪពុក", relationship="father")]),
    )
    updates = [e.changes for e in AuditEvent.objects.filter(action="update").order_by("id")]
    assert updates == [{"sex": {"old": "female", "new": "male"}}, {"guardians": {"changed": True}}]
    assert child.guardians.count() == 2
