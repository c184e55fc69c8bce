"""The claims of docs/decisions/0003-threat-model.md about a stolen database, as tests.

Each test reads the database with raw SQL, as someone holding a dump would, and shows
what that reveals, with and without the keys. Several pin down leaks that are accepted
and documented: they fail if the leak goes away (then the document must change too).
"""

import base64
import struct
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction

from komar.audit.models import AuditEvent
from komar.children.models import Child
from komar.children.name_index import child_name_keys
from komar.children.tests.helpers import open_case, register_child
from komar.core.crypto import decrypt_text, index_digest
from komar.geo.models import Village

pytestmark = pytest.mark.django_db


def _db_id(child: Child) -> object:
    return Child._meta.pk.get_db_prep_value(child.pk, connection)


def _raw(sql: str, params: list | None = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchall()


# --- A dump without any key --------------------------------------------------------------


def test_birth_year_sex_nationality_and_village_are_in_clear_and_single_out_a_child(world):
    # Given children of one village, born the same year, and one who differs by sex
    village = Village.objects.order_by("code").first()
    worker = world.user("case_worker")
    for given in ("Dara", "Vanna", "Bopha"):
        register_child(worker, given_name=given, village_code=village.code, birth_year=2011)
    boy = register_child(
        worker, given_name="Rithy", sex="male", village_code=village.code, birth_year=2011
    )

    # When the dump is grouped by the columns stored in clear
    rows = _raw("SELECT id, birth_year, sex, nationality, village_id FROM children_child")
    groups = Counter(row[1:] for row in rows)

    # Then they read as they were given, and one combination is one child only
    assert (2011, "male", "KH", village.code) in groups
    assert groups[(2011, "male", "KH", village.code)] == 1
    assert [row[0] for row in rows if row[1:] == (2011, "male", "KH", village.code)] == [
        _db_id(boy)
    ]


def test_case_facts_and_dates_are_in_clear(world):
    child = register_child(world.user("case_worker"))
    case = open_case(world.user("case_worker"), child)

    [(child_id, status, intake_date, result)] = _raw(
        "SELECT child_id, status, intake_date, screening_result FROM cases_case"
    )

    assert child_id == _db_id(child)
    assert status == case.status
    assert str(intake_date) == str(case.intake_date)
    assert result == case.screening_result


def test_names_and_identifiers_are_ciphertext(world):
    child = register_child(
        world.user("case_worker"), family_name="Sok", given_name="Sothea", name_km="សុខ សុធា"
    )

    [(family, given, khmer, dob)] = _raw(
        "SELECT family_name, given_name, name_km, date_of_birth FROM children_child WHERE id = %s",
        [_db_id(child)],
    )

    for token in (family, given, khmer):
        assert token.startswith("gAAAAA")
    assert "Sothea" not in given
    assert "សុខ" not in khmer
    assert dob is None  # no date given: NULL, not a ciphertext


def test_an_absent_value_shows_as_empty(world):
    # An empty string is stored as it is, not encrypted: the dump shows which children
    # have no ministry case number, say.
    child = register_child(world.user("case_worker"))

    [(number, external)] = _raw(
        "SELECT ministry_case_number, external_id FROM children_child WHERE id = %s",
        [_db_id(child)],
    )

    assert (number, external) == ("", "")


def test_a_fernet_token_tells_when_it_was_written(world):
    # Given a child registered at a known moment
    moment = datetime(2026, 3, 14, 9, 26, 53, tzinfo=ZoneInfo("Asia/Phnom_Penh"))
    with time_machine.travel(moment, tick=False):
        child = register_child(world.user("case_worker"))

    # When the token's header is read, without any key
    [(token,)] = _raw("SELECT family_name FROM children_child WHERE id = %s", [_db_id(child)])
    raw = base64.urlsafe_b64decode(token)
    version, seconds = raw[0], struct.unpack(">Q", raw[1:9])[0]

    # Then it gives the time of writing, to the second
    assert version == 0x80
    assert seconds == int(moment.timestamp())


def test_a_token_tells_the_length_of_its_value_to_sixteen_bytes(world):
    # AES-CBC pads to blocks of 16 bytes: a longer name makes a longer token.
    worker = world.user("case_worker")
    short = register_child(worker, given_name="Ly", aliases=[])
    long = register_child(worker, given_name="Sreypovpheakdey", aliases=[])
    longer = register_child(worker, given_name="Sreypovpheakdeyrothanak", aliases=[])

    lengths = [
        len(
            base64.urlsafe_b64decode(
                _raw("SELECT given_name FROM children_child WHERE id = %s", [_db_id(c)])[0][0]
            )
        )
        for c in (short, long, longer)
    ]

    # version, time, IV and MAC take 57 bytes; the rest is the padded value
    assert [n - 57 for n in lengths] == [16, 16, 32]


# --- What the index key protects ---------------------------------------------------------


def test_with_the_index_key_the_vocabulary_names_every_childs_digests(world, settings):
    # The index key is what keeps the vocabulary and the digests apart: whoever holds it
    # as well as a dump reads every child's name words (not the names' order or case).
    child = register_child(world.user("case_worker"), family_name="Sok", given_name="Dara")
    vocabulary = [row[0] for row in _raw("SELECT key FROM children_namespelling")]
    digests = {
        row[0]
        for row in _raw(
            "SELECT digest FROM children_childnamekey WHERE child_id = %s", [_db_id(child)]
        )
    }

    named = {index_digest(k, key=settings.KOMAR_INDEX_KEY): k for k in vocabulary}

    assert {named[d] for d in digests if d in named} == {
        k for k in child_name_keys(child) if k in vocabulary
    }
    assert {"l:sok", "l:dara"} <= {named[d] for d in digests if d in named}


def test_with_the_encryption_key_a_dump_reads_in_full(world):
    child = register_child(world.user("case_worker"), family_name="Chan", given_name="Vanna")

    [(family, given)] = _raw(
        "SELECT family_name, given_name FROM children_child WHERE id = %s", [_db_id(child)]
    )

    assert (decrypt_text(family), decrypt_text(given)) == ("Chan", "Vanna")


# --- What a database writer can do -------------------------------------------------------


def test_without_associated_data_ciphertexts_can_be_swapped_between_rows(world):
    # Fernet binds no row or column to a token: a writer with database access can move
    # one child's name onto another's record, and Komar reads it without complaint.
    worker = world.user("case_worker")
    first = register_child(worker, family_name="Sok", given_name="Dara")
    second = register_child(worker, family_name="Chan", given_name="Vanna")
    [(a,)] = _raw("SELECT given_name FROM children_child WHERE id = %s", [_db_id(first)])
    [(b,)] = _raw("SELECT given_name FROM children_child WHERE id = %s", [_db_id(second)])

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE children_child SET given_name = %s WHERE id = %s", [b, _db_id(first)]
        )
        cursor.execute(
            "UPDATE children_child SET given_name = %s WHERE id = %s", [a, _db_id(second)]
        )

    assert Child.objects.get(pk=first.pk).given_name == "Vanna"
    assert Child.objects.get(pk=second.pk).given_name == "Dara"
    # and even across columns: a name token read as a case number
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE children_child SET ministry_case_number = %s WHERE id = %s",
            [a, _db_id(first)],
        )
    assert Child.objects.get(pk=first.pk).ministry_case_number == "Dara"


def test_the_audit_trail_refuses_changes_but_not_its_owner(world):
    register_child(world.user("case_worker"))
    before = AuditEvent.objects.count()
    assert before > 0

    # A changed event is refused in the database itself
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'delete'")

    # but whoever owns the tables can drop the trigger and erase the trail
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER audit_auditevent_append_only ON audit_auditevent")
        else:
            cursor.execute("DROP TRIGGER audit_auditevent_no_update")
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == 0


def test_truncate_bypasses_the_audit_row_trigger_on_postgresql(world):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    register_child(world.user("case_worker"))

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE audit_auditevent")

    assert AuditEvent.objects.count() == 0
