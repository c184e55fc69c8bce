"""Re-encrypt every encrypted column under the current key (``manage.py encryption_rotate``).

Putting a new key first in ``KOMAR_ENCRYPTION_KEYS`` only changes what is written from
then on; a value never saved again stays under the old key, and the old key could never
be dropped. :func:`encryption_rotate` walks every model with an
:class:`~komar.core.crypto.EncryptedField` and re-encrypts, table by table and batch by
batch (by primary key), each value that the current key alone cannot read:

- resumable: a value already under the current key is left alone, so a run that
  stopped half way is finished by running it again;
- safe while the application serves: each batch is its own short transaction, and each
  row is updated only if its encrypted columns still hold the tokens that were read
  (``UPDATE ... WHERE pk = %s AND col = <old token>``), so a change saved meanwhile (under
  the current key already) is never overwritten;
- audited: the caller's ``audit`` hook runs once per batch that changed rows, inside the
  batch's transaction (the command passes ``komar.audit.events.keys_rotated``; this
  module stays below the audit app).

Only the encrypted columns are written: no ``save()``, no ``auto_now``.

Some tokens live inside a JSON column instead of an encrypted field: the second-factor
secrets django-allauth stores, which ``komar.accounts.adapters.KomarMFAAdapter``
encrypts with the same keys. :data:`EMBEDDED_TOKENS` names them; they are rotated the
same way (a TOTP secret left under the old key would lock its user out once the old key
is dropped).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models, router, transaction

from komar.core.crypto import EncryptedField, reencrypt_token, token_is_current

ROTATE_BATCH = 1000

# JSON columns holding tokens: model label -> (column, keys holding a token, keys
# holding a list of tokens). As KomarMFAAdapter and accounts.0004 write them.
EMBEDDED_TOKENS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "mfa.authenticator": ("data", ("secret", "seed"), ("migrated_codes",)),
}

# audit(table=..., rows=..., columns=...): called inside each batch's transaction.
BatchAudit = Callable[..., Any]


@dataclass
class TableRotation:
    """What a rotation did (or, in a dry run, would do) to one table."""

    table: str
    columns: list[str]
    rows_read: int = 0
    rows_rotated: int = 0
    values_rotated: int = 0
    rows_changed_meanwhile: int = 0
    batches: int = 0
    complete: bool = True
    rotated_columns: set[str] = field(default_factory=set)


def encrypted_models() -> list[tuple[type[models.Model], list[EncryptedField]]]:
    """Return every installed model that stores encrypted columns, with those fields."""
    found = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.swapped:
            continue
        fields = [f for f in meta.concrete_fields if isinstance(f, EncryptedField)]
        if fields:
            found.append((model, fields))
    return sorted(found, key=lambda pair: pair[0]._meta.label_lower)


def _rotate_batch(
    rows: Sequence[tuple[Any, ...]], fields: Sequence[EncryptedField], label: str
) -> list[tuple[Any, dict[int, tuple[str, str]]]]:
    """Return, per row needing it, the (old, new) token of each column to re-encrypt."""
    out = []
    for row in rows:
        pk, tokens = row[0], row[1:]
        changes: dict[int, tuple[str, str]] = {}
        for index, token in enumerate(tokens):
            if token is None or token == "" or token_is_current(token):
                continue
            try:
                changes[index] = (token, reencrypt_token(token))
            except ImproperlyConfigured as exc:
                raise ImproperlyConfigured(
                    f"{label}.{fields[index].name} of row {pk} cannot be read with the "
                    "configured keys: nothing of that batch was changed."
                ) from exc
        if changes:
            out.append((pk, changes))
    return out


def rotate_model(
    model: type[models.Model],
    fields: Sequence[EncryptedField],
    *,
    audit: BatchAudit,
    batch_size: int = ROTATE_BATCH,
    dry_run: bool = False,
    max_batches: int | None = None,
) -> TableRotation:
    """Re-encrypt one model's encrypted columns under the current key, in batches.

    ``max_batches`` stops after that many batches read (``complete`` is then False).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    meta = model._meta
    label = meta.label_lower
    alias = router.db_for_write(model)
    connection = connections[alias]
    quote = connection.ops.quote_name
    pk = meta.pk
    if pk is None or pk.column is None:
        raise ValueError(f"{label} has no primary key column.")
    pk_column = quote(pk.column)
    table = quote(meta.db_table)
    columns = [quote(str(f.column)) for f in fields]
    # Names come from the model's metadata, quoted; every value is bound.
    select = f"SELECT {pk_column}, {', '.join(columns)} FROM {table}"  # noqa: S608
    result = TableRotation(table=label, columns=[f.name for f in fields])
    last: Any = None
    while True:
        with connection.cursor() as cursor:
            if last is None:
                cursor.execute(f"{select} ORDER BY {pk_column} LIMIT %s", [batch_size])
            else:
                cursor.execute(
                    f"{select} WHERE {pk_column} > %s ORDER BY {pk_column} LIMIT %s",
                    [last, batch_size],
                )
            rows = cursor.fetchall()
        if not rows:
            break
        last = rows[-1][0]
        result.rows_read += len(rows)
        result.batches += 1
        pending = _rotate_batch(rows, fields, label)
        if dry_run:
            result.rows_rotated += len(pending)
            result.values_rotated += sum(len(changes) for _, changes in pending)
            result.rotated_columns.update(fields[i].name for _, c in pending for i in c)
        elif pending:
            # Rows needing the same columns are updated together (one executemany).
            groups: dict[tuple[int, ...], list[list[Any]]] = {}
            for pk, changes in pending:
                groups.setdefault(tuple(changes), []).append(
                    [
                        *(new for _, new in changes.values()),
                        pk,
                        *(old for old, _ in changes.values()),
                    ]
                )
            rotated = 0
            names: set[str] = set()
            with transaction.atomic(using=alias), connection.cursor() as cursor:
                for indexes, params in groups.items():
                    assignments = ", ".join(f"{columns[i]} = %s" for i in indexes)
                    guards = " AND ".join(f"{columns[i]} = %s" for i in indexes)
                    cursor.executemany(
                        f"UPDATE {table} SET {assignments} "  # noqa: S608  (quoted names)
                        f"WHERE {pk_column} = %s AND {guards}",
                        params,
                    )
                    # A row saved meanwhile (under the current key) no longer holds the
                    # token read, so it is left as saved.
                    done = max(cursor.rowcount, 0)
                    rotated += done
                    result.values_rotated += done * len(indexes)
                    if done:
                        names.update(fields[i].name for i in indexes)
                if rotated:
                    audit(table=label, rows=rotated, columns=sorted(names))
            result.rows_rotated += rotated
            result.rows_changed_meanwhile += len(pending) - rotated
            result.rotated_columns.update(names)
        if max_batches is not None and result.batches >= max_batches:
            result.complete = False
            break
    return result


def _rotated_json(value: Any, keys: Sequence[str], list_keys: Sequence[str], label: str) -> Any:
    """Return a JSON object with its tokens re-encrypted (the same object if none needed)."""
    if not isinstance(value, dict):
        return value

    def rotated(token: Any) -> Any:
        if not isinstance(token, str) or not token or token_is_current(token):
            return token
        try:
            return reencrypt_token(token)
        except ImproperlyConfigured as exc:
            raise ImproperlyConfigured(
                f"A token in {label} cannot be read with the configured keys: nothing of "
                "that batch was changed."
            ) from exc

    out = dict(value)
    for key in keys:
        if key in out:
            out[key] = rotated(out[key])
    for key in list_keys:
        if isinstance(out.get(key), list):
            out[key] = [rotated(item) for item in out[key]]
    return out if out != value else value


def _changed_tokens(old: dict[str, Any], new: dict[str, Any]) -> int:
    count = 0
    for key, value in new.items():
        before = old.get(key)
        if isinstance(value, list) and isinstance(before, list):
            count += sum(a != b for a, b in zip(before, value, strict=False))
        elif value != before:
            count += 1
    return count


def rotate_embedded(
    model: type[models.Model],
    column: str,
    keys: Sequence[str],
    list_keys: Sequence[str],
    *,
    audit: BatchAudit,
    batch_size: int = ROTATE_BATCH,
    dry_run: bool = False,
    max_batches: int | None = None,
) -> TableRotation:
    """Re-encrypt the tokens kept inside one JSON column of a model, in batches.

    Each row is written only if the column still holds what was read.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    label = model._meta.label_lower
    alias = router.db_for_write(model)
    manager = model._default_manager.db_manager(alias)
    result = TableRotation(table=label, columns=[column])
    last: Any = None
    while True:
        page = manager.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        rows = list(page.values_list("pk", column)[:batch_size])
        if not rows:
            break
        last = rows[-1][0]
        result.rows_read += len(rows)
        result.batches += 1
        pending = [
            (pk, old, new)
            for pk, old in rows
            if (new := _rotated_json(old, keys, list_keys, label)) is not old
        ]
        if dry_run:
            result.rows_rotated += len(pending)
            result.values_rotated += sum(_changed_tokens(old, new) for _, old, new in pending)
        elif pending:
            rotated = 0
            with transaction.atomic(using=alias):
                for pk, old, new in pending:
                    done = manager.filter(pk=pk, **{column: old}).update(**{column: new})
                    rotated += done
                    result.values_rotated += done * _changed_tokens(old, new)
                if rotated:
                    audit(table=label, rows=rotated, columns=[column])
            result.rows_rotated += rotated
            result.rows_changed_meanwhile += len(pending) - rotated
        if result.rows_rotated:
            result.rotated_columns.add(column)
        if max_batches is not None and result.batches >= max_batches:
            result.complete = False
            break
    return result


def embedded_token_models() -> list[
    tuple[type[models.Model], tuple[str, tuple[str, ...], tuple[str, ...]]]
]:
    """Return the installed models of :data:`EMBEDDED_TOKENS`, with where their tokens are."""
    found = []
    for label, where in EMBEDDED_TOKENS.items():
        app_label, model_name = label.split(".")
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:  # the app is not installed here
            continue
        found.append((model, where))
    return found


def encryption_rotate(
    *,
    audit: BatchAudit,
    batch_size: int = ROTATE_BATCH,
    dry_run: bool = False,
    max_batches: int | None = None,
    only: Sequence[str] = (),
    progress: Callable[[TableRotation], None] | None = None,
) -> list[TableRotation]:
    """Re-encrypt every encrypted column of every model under the current key, and the
    tokens of :data:`EMBEDDED_TOKENS`.

    ``only`` limits the run to some models (``"children.child"``); ``max_batches``
    limits each table's batches (for a run in steps; run again to go on).
    """
    wanted = {label.lower() for label in only}
    results = []
    for model, fields in encrypted_models():
        if wanted and model._meta.label_lower not in wanted:
            continue
        outcome = rotate_model(
            model,
            fields,
            audit=audit,
            batch_size=batch_size,
            dry_run=dry_run,
            max_batches=max_batches,
        )
        results.append(outcome)
        if progress is not None:
            progress(outcome)
    for model, (column, keys, list_keys) in embedded_token_models():
        if wanted and model._meta.label_lower not in wanted:
            continue
        outcome = rotate_embedded(
            model,
            column,
            keys,
            list_keys,
            audit=audit,
            batch_size=batch_size,
            dry_run=dry_run,
            max_batches=max_batches,
        )
        results.append(outcome)
        if progress is not None:
            progress(outcome)
    return results
