"""Typed helpers that write audit events, one per kind of event.

Call them inside the transaction of the action they record, so the action and its
event are committed together or not at all.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models, transaction

from komar.audit.context import current_origin
from komar.audit.models import AuditAction, AuditEvent
from komar.core.crypto import EncryptedField


def _label(obj: models.Model) -> str:
    return obj._meta.label_lower


def _write(
    *, actor: Any, action: str, obj: models.Model, changes: Mapping[str, Any] | None = None
) -> AuditEvent:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Audit events are written inside the action's transaction.")
    origin = current_origin()
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_username=getattr(actor, "username", "") or "",
        action=action,
        object_type=_label(obj),
        object_id=str(obj.pk),
        changes=dict(changes or {}),
        ip=origin.ip,
        channel=origin.channel,
    )


def is_sensitive(model: type[models.Model], field_name: str) -> bool:
    """Return True when a field's values must never be copied into the audit trail."""
    try:
        field = model._meta.get_field(field_name)
    except Exception:  # a derived value (consents, guardians): treat as sensitive
        return True
    return isinstance(field, EncryptedField) or getattr(field, "audit_sensitive", False)


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def field_changes(
    model: type[models.Model], before: Mapping[str, Any], after: Mapping[str, Any]
) -> dict[str, Any]:
    """Return the audit form of what changed between two snapshots of a record.

    Non-sensitive fields keep old and new values; sensitive ones only that they changed.
    """
    out: dict[str, Any] = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if is_sensitive(model, name):
            out[name] = {"changed": True}
        else:
            out[name] = {"old": _jsonable(old), "new": _jsonable(new)}
    return out


def record_created(*, actor: Any, obj: models.Model, fields: Iterable[str]) -> AuditEvent:
    """Record that ``actor`` created ``obj``, naming the fields it was given."""
    return _write(
        actor=actor, action=AuditAction.CREATE, obj=obj, changes={"fields": sorted(fields)}
    )


def record_viewed(*, actor: Any, obj: models.Model) -> AuditEvent:
    """Record that ``actor`` looked at ``obj``."""
    return _write(actor=actor, action=AuditAction.VIEW, obj=obj)


def record_updated(
    *, actor: Any, obj: models.Model, changes: Mapping[str, Any]
) -> AuditEvent | None:
    """Record that ``actor`` changed ``obj``; nothing is written when nothing changed."""
    if not changes:
        return None
    return _write(actor=actor, action=AuditAction.UPDATE, obj=obj, changes=changes)


def record_deleted(*, actor: Any, obj: models.Model) -> AuditEvent:
    """Record that ``actor`` deleted ``obj``."""
    return _write(actor=actor, action=AuditAction.DELETE, obj=obj)
