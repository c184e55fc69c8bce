"""Re-encrypting every encrypted column under a new key (``manage.py encryption_rotate``)."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from komar.audit.models import AuditAction, AuditEvent
from komar.children.models import Child, Guardian, PendingNameSpelling
from komar.children.tests.helpers import register_child
from komar.core import rotation
from komar.core.crypto import decrypt_text, token_is_current
from komar.core.rotation import encrypted_models, encryption_rotate, rotate_model
from komar.demo.generator import generate

pytestmark = pytest.mark.django_db

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()


def stored_rows(model) -> list[list[str]]:
    """Return the non-empty tokens of each row of a model's encrypted columns, in primary
    key order (raw SQL, as the database holds them)."""
    fields = dict(encrypted_models())[model]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {quote(model._meta.db_table)} ORDER BY {quote(model._meta.pk.column)}"  # noqa: S608
        )
        return [[t for t in row if t] for row in cursor.fetchall()]


def stored_tokens() -> dict[str, list[str]]:
    """Return every non-empty token of every encrypted column, per model (raw SQL)."""
    return {
        model._meta.label_lower: [t for row in stored_rows(model) for t in row]
        for model, _ in encrypted_models()
    }


def plaintexts() -> dict[str, list[tuple]]:
    """Return what every encrypted column says, per model, in primary key order (ORM)."""
    return {
        model._meta.label_lower: list(
            model.objects.order_by("pk").values_list("pk", *[f.name for f in fields])
        )
        for model, fields in encrypted_models()
    }


def test_every_model_with_encrypted_columns_is_found() -> None:
    found = {
        model._meta.label_lower: {f.name for f in fields} for model, fields in encrypted_models()
    }

    assert found["children.child"] == {
        "name_km", "family_name", "given_name", "aliases", "date_of_birth",
        "ministry_case_number", "external_id",
    }  # fmt: skip
    assert found["children.guardian"] == {"name", "phone"}
    assert {"notes"} <= found["cases.screening"]
    assert found["children.pendingnamespelling"] == {"key"}


def test_rotation_of_ten_thousand_children_resumes_and_ends_under_the_new_key(
    world, settings
) -> None:
    # Given 10,000 children with guardians and screenings, written under the old key
    settings.KOMAR_ENCRYPTION_KEYS = [OLD]
    users = [world.user("case_worker"), world.user("supervisor")]
    generate(children=10_000, seed=4, organisation=world.host, users=users)
    before = plaintexts()
    children = stored_rows(Child)
    with_values = {
        model._meta.label_lower: sum(1 for row in stored_rows(model) if row)
        for model, _ in encrypted_models()
    }
    assert len(children) == 10_000
    assert all(children)  # every child has a name: every row has something to rotate
    assert with_values["children.guardian"] == Guardian.objects.count() > 5000
    assert with_values["cases.screening"] > 1000  # screening notes
    # and the new key put first, the old one kept to read
    settings.KOMAR_ENCRYPTION_KEYS = [NEW, OLD]
    calls: list[dict] = []

    def failing_audit(**batch):
        # The third batch fails (a crash, a lost connection): its rows must stay as they were.
        if len(calls) == 2:
            raise RuntimeError("interrupted")
        calls.append(batch)

    # When a run is interrupted in its third batch of children
    with pytest.raises(RuntimeError, match="interrupted"):
        encryption_rotate(audit=failing_audit, batch_size=1000, only=["children.child"])

    # Then the first two batches are wholly under the new key, and nothing after them
    assert [c["rows"] for c in calls] == [1000, 1000]
    rows = stored_rows(Child)
    assert all(token_is_current(t) for row in rows[:2000] for t in row)
    assert not any(token_is_current(t) for row in rows[2000:] for t in row)

    # When the whole rotation is run again, through the command
    out = StringIO()
    call_command("encryption_rotate", "--batch-size", "1000", stdout=out)

    # Then every row not yet rotated is, once, each batch audited
    rotated: dict[str, int] = {}
    for event in AuditEvent.objects.filter(action=AuditAction.KEYS_ROTATED):
        assert event.actor is None
        assert 0 < event.changes["rows"] <= 1000
        rotated[event.object_type] = rotated.get(event.object_type, 0) + event.changes["rows"]
    assert rotated == {label: n for label, n in with_values.items() if n} | {"children.child": 8000}
    assert "children.child: 10,000 rows read, re-encrypted" in out.getvalue()
    # and with the old key gone, every encrypted value reads, and says what it said
    settings.KOMAR_ENCRYPTION_KEYS = [NEW]
    for label, values in stored_tokens().items():
        assert all(token_is_current(t) for t in values), label
    assert plaintexts() == before
    assert decrypt_text(stored_rows(Child)[0][0])


def test_a_second_run_finds_nothing_left(world, settings) -> None:
    settings.KOMAR_ENCRYPTION_KEYS = [OLD]
    register_child(world.user("case_worker"), guardians=[])
    settings.KOMAR_ENCRYPTION_KEYS = [NEW, OLD]
    audit_calls: list[dict] = []

    first = encryption_rotate(audit=lambda **b: audit_calls.append(b), only=["children.child"])
    second = encryption_rotate(audit=lambda **b: audit_calls.append(b), only=["children.child"])

    assert {r.table: r.rows_rotated for r in first}["children.child"] == 1
    assert sum(r.rows_rotated for r in second) == 0
    assert audit_calls == [
        {
            "table": "children.child",
            "rows": 1,
            "columns": ["aliases", "family_name", "given_name", "name_km"],
        }
    ]


def test_a_change_saved_meanwhile_is_not_overwritten(world, settings, monkeypatch) -> None:
    # Given a child written under the old key
    settings.KOMAR_ENCRYPTION_KEYS = [OLD]
    child = register_child(world.user("case_worker"), guardians=[])
    settings.KOMAR_ENCRYPTION_KEYS = [NEW, OLD]
    read = rotation._rotate_batch

    def read_then_someone_saves(rows, fields, label):
        pending = read(rows, fields, label)
        # a case worker saves a new name between the rotation's read and its write
        Child.objects.filter(pk=child.pk).update(given_name="Sreypov")
        return pending

    monkeypatch.setattr(rotation, "_rotate_batch", read_then_someone_saves)
    calls: list[dict] = []

    # When the rotation writes
    outcome = rotate_model(
        Child, dict(encrypted_models())[Child], audit=lambda **b: calls.append(b)
    )

    # Then the saved name stands, and the row is left as saved (under the new key)
    assert Child.objects.get(pk=child.pk).given_name == "Sreypov"
    assert (outcome.rows_rotated, outcome.rows_changed_meanwhile) == (0, 1)
    assert calls == []


def test_dry_run_counts_and_writes_nothing(world, settings) -> None:
    settings.KOMAR_ENCRYPTION_KEYS = [OLD]
    register_child(world.user("case_worker"), guardians=[])
    settings.KOMAR_ENCRYPTION_KEYS = [NEW, OLD]
    before = stored_tokens()
    out = StringIO()

    call_command("encryption_rotate", "--dry-run", "--model", "children.child", stdout=out)

    assert stored_tokens() == before
    assert "children.child: 1 rows read, would re-encrypt 4 values in 1 rows" in out.getvalue()
    assert "Dry run: 1 rows would be re-encrypted. Nothing written." in out.getvalue()
    assert not AuditEvent.objects.filter(action=AuditAction.KEYS_ROTATED).exists()


def test_the_command_audits_each_batch_in_its_transaction(world, settings) -> None:
    settings.KOMAR_ENCRYPTION_KEYS = [OLD]
    for _ in range(5):
        register_child(world.user("case_worker"), guardians=[])
    settings.KOMAR_ENCRYPTION_KEYS = [NEW, OLD]

    call_command(
        "encryption_rotate", "--batch-size", "2", "--model", "children.child", stdout=StringIO()
    )

    events = list(
        AuditEvent.objects.filter(action=AuditAction.KEYS_ROTATED)
        .order_by("id")
        .values_list("object_type", "changes")
    )
    columns = ["aliases", "family_name", "given_name", "name_km"]
    assert events == [
        ("children.child", {"rows": 2, "columns": columns}),
        ("children.child", {"rows": 2, "columns": columns}),
        ("children.child", {"rows": 1, "columns": columns}),
    ]


def test_a_value_no_key_reads_stops_the_command_with_the_row_named(world, settings) -> None:
    settings.KOMAR_ENCRYPTION_KEYS = [OLD]
    child = register_child(world.user("case_worker"), guardians=[])
    settings.KOMAR_ENCRYPTION_KEYS = [NEW]  # the old key lost

    with pytest.raises(CommandError, match=f"children.child.* of row .*{child.pk.hex[:8]}"):
        call_command("encryption_rotate", "--model", "children.child", stdout=StringIO())

    settings.KOMAR_ENCRYPTION_KEYS = [OLD]
    assert Child.objects.get(pk=child.pk).family_name == "Sok"


@pytest.mark.parametrize("args", [["--batch-size", "0"], ["--model", "children.nothing"]])
def test_the_command_refuses_bad_arguments(args) -> None:
    with pytest.raises(CommandError):
        call_command("encryption_rotate", *args, stdout=StringIO())


def test_pending_spellings_are_rotated_too(world, settings) -> None:
    settings.KOMAR_ENCRYPTION_KEYS = [OLD]
    register_child(
        world.user("case_worker"), name_km="", family_name="Vornak", given_name="Theapol"
    )
    assert PendingNameSpelling.objects.count() == 3
    settings.KOMAR_ENCRYPTION_KEYS = [NEW, OLD]

    call_command("encryption_rotate", stdout=StringIO())

    settings.KOMAR_ENCRYPTION_KEYS = [NEW]
    assert sorted(PendingNameSpelling.objects.values_list("key", flat=True)) == [
        "l:teapol", "l:vornak", "l:vornakteapol",
    ]  # fmt: skip


def test_second_factor_secrets_are_rotated_and_still_make_the_same_codes(world, settings) -> None:
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    # Given a supervisor's TOTP secret and recovery codes, encrypted under the old key
    settings.KOMAR_ENCRYPTION_KEYS = [OLD]
    user = world.user("supervisor")
    secret = generate_totp_secret()
    totp = TOTP.activate(user, secret).instance
    recovery = RecoveryCodes.activate(user)
    codes = recovery.generate_codes()
    assert totp.data["secret"].startswith("gAAAAA")
    settings.KOMAR_ENCRYPTION_KEYS = [NEW, OLD]

    # When every key is rotated
    out = StringIO()
    call_command("encryption_rotate", stdout=out)

    # Then with the old key gone the secret is the same and the codes still work
    settings.KOMAR_ENCRYPTION_KEYS = [NEW]
    totp.refresh_from_db()
    recovery.instance.refresh_from_db()
    assert token_is_current(totp.data["secret"])
    assert decrypt_text(totp.data["secret"]) == secret
    assert RecoveryCodes(recovery.instance).generate_codes() == codes
    assert "mfa.authenticator: 2 rows read, re-encrypted 2 values in 2 rows" in out.getvalue()
    assert AuditEvent.objects.filter(
        action=AuditAction.KEYS_ROTATED, object_type="mfa.authenticator", changes__rows=2
    ).exists()
