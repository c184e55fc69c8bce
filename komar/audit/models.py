import datetime
import re

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """What a person (or the system) did. The first four codes predate the others and
    stay as they are: the trail is append-only, so stored codes are never rewritten."""

    CREATE = "create", _("Created")
    VIEW = "view", _("Viewed")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    LISTED = "listed", _("Listed")
    SEARCHED = "searched", _("Searched")
    REFUSED = "refused", _("Refused access")
    EXPORTED = "exported", _("Exported")
    PRINTED = "printed", _("Printed")
    CONSENT_GIVEN = "consent_given", _("Consent given")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    GRANT_GIVEN = "grant_given", _("Access granted")
    GRANT_ENDED = "grant_ended", _("Access ended")
    USER_CREATED = "user_created", _("Account created")
    USER_CHANGED = "user_changed", _("Account changed")
    ROLE_CHANGED = "role_changed", _("Role changed")
    USER_DEACTIVATED = "user_deactivated", _("Account deactivated")
    USER_REACTIVATED = "user_reactivated", _("Account reactivated")
    PASSWORD_RESET = "password_reset", _("Password reset")
    USER_UNLOCKED = "user_unlocked", _("Account unlocked")
    TWO_FACTOR_RESET = "two_factor_reset", _("Second factor reset")
    TOKENS_REVOKED = "tokens_revoked", _("API tokens revoked")
    KEYS_ROTATED = "keys_rotated", _("Encryption keys rotated")
    INDEX_REBUILT = "index_rebuilt", _("Name index rebuilt")


class Channel(models.TextChoices):
    """Where an action came from."""

    WEB = "web", _("web page")
    API = "api", _("API")
    SYSTEM = "system", _("system")


EXTRA_FIELD_LABELS = {
    "guardians": _("guardians and contacts"),
    "age_at_intake": _("age at intake"),
    # Filters of lists and searches.
    "q": _("name or number searched"),
    "search": _("name or number searched"),
    "date_from": _("from"),
    "date_to": _("to"),
    "province": _("province"),
    "open": _("open cases only"),
    "actor": _("who"),
}
# Fields whose form label differs from the model's verbose name: the history uses the
# form's words (a case's "status" is its "Stage" everywhere a user sees it).
FORM_LABELS = {
    ("cases.case", "status"): _("Stage"),
}
# Keys of events about reads, lists and accounts, shown as "label: text".
DETAIL_LABELS = {
    "filters": _("filters"),
    "count": _("results"),
    "purpose": _("purpose"),
    "consent": _("consent"),
    "reason": _("reason"),
    "format": _("format"),
    "language": _("language"),
    "rows": _("rows"),
    "children": _("children"),
}
PURPOSE_LABELS = {"history": _("access log and change history")}
# Details whose codes are the choices of a field of another model.
DETAIL_CHOICES = {"consent": ("children.consentrecord", "kind")}
# Why a grant ended, as the services write it.
GRANT_END_LABELS = {
    "reassigned": _("case reassigned"),
    "referral closed": _("referral closed"),
    "consent withdrawn": _("consent withdrawn"),
}
_ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _format_iso(value: str, *, with_time: bool) -> str:
    """Return an ISO date or date-time in the active language's format, or it unchanged."""
    try:
        if with_time:
            moment = datetime.datetime.fromisoformat(value)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return formats.date_format(moment, "DATETIME_FORMAT")
        return formats.date_format(datetime.date.fromisoformat(value[:10]), "DATE_FORMAT")
    except ValueError:
        return value


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """One thing a person did to a record: who, when, what, to which record, from where.

    Append-only: the model, its queryset and (on PostgreSQL and SQLite) a database
    trigger refuse updates; deletes are refused by the app and, on PostgreSQL, by a
    trigger. Names and values of identifying fields never appear in ``changes``.
    """

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_username = models.CharField(_("who"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices)
    object_type = models.CharField(_("record type"), max_length=64)
    # Blank for events about many records at once (a list, a search, an export).
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.SYSTEM
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"], name="audit_object_idx"),
            models.Index(fields=["actor", "at"], name="audit_actor_idx"),
            models.Index(fields=["action", "at"], name="audit_action_idx"),
        ]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type}"

    def save(self, *args: object, **kwargs: object) -> None:
        # Invariant, not business logic: an event once written is never rewritten.
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted.")

    def _model(self) -> type[models.Model] | None:
        try:
            return apps.get_model(self.object_type)
        except (LookupError, ValueError):
            return None

    def _field_label(self, name: str) -> str:
        model = self._model()
        if (self.object_type, name) in FORM_LABELS:
            return str(FORM_LABELS[(self.object_type, name)])
        if name in EXTRA_FIELD_LABELS:
            return str(EXTRA_FIELD_LABELS[name])
        try:
            return str(model._meta.get_field(name).verbose_name) if model else name  # type: ignore[union-attr]  # audited names are concrete fields, not reverse relations
        except FieldDoesNotExist:
            return name

    @property
    def record_label(self) -> str:
        """Return the kind of record, in the user's language."""
        model = self._model()
        return str(model._meta.verbose_name) if model else self.object_type

    @property
    def channel_label(self) -> str:
        return str(Channel(self.channel).label) if self.channel in Channel.values else self.channel

    def _field(self, name: str) -> "models.Field[object, object] | None":
        model = self._model()
        if model is None:
            return None
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        return field if isinstance(field, models.Field) else None

    def value_label(self, name: str, value: object) -> str:
        """Return a stored value as the forms show it, in the user's language.

        Codes become their choice labels (``possible_victim`` → "possible victim"),
        booleans "yes"/"no", ISO dates and times the local format; lists are joined.
        """
        if value is None or value == "" or value == []:
            return "–"
        if isinstance(value, list):
            return ", ".join(self.value_label(name, item) for item in value)
        if isinstance(value, bool):
            return str(_("yes") if value else _("no"))
        field = self._field(name)
        choice_field = getattr(field, "base_field", field)  # ArrayField of codes
        choices = dict(getattr(choice_field, "flatchoices", None) or ())
        if choices and value in choices:
            return str(choices[value])
        if isinstance(value, str) and isinstance(field, (models.DateField, models.DateTimeField)):
            return _format_iso(value, with_time=isinstance(field, models.DateTimeField))
        if isinstance(value, str) and _ISO_DATE_RE.fullmatch(value):
            return _format_iso(value, with_time=False)
        return str(value)

    def _detail(self, name: str, value: object) -> str:
        if name == "filters" and isinstance(value, dict):
            if not value:
                return "–"
            return ", ".join(
                str(self._field_label(k))
                if v is True
                else f"{self._field_label(k)} = {self.value_label(k, v)}"
                for k, v in value.items()
            )
        if name == "purpose":
            return str(PURPOSE_LABELS.get(str(value), value))
        if name in DETAIL_CHOICES and isinstance(value, str):
            model_label, field_name = DETAIL_CHOICES[name]
            try:
                field = apps.get_model(model_label)._meta.get_field(field_name)
            except (LookupError, FieldDoesNotExist):
                return value
            return str(dict(getattr(field, "flatchoices", ())).get(value, value))
        if name == "reason" and isinstance(value, str) and value in GRANT_END_LABELS:
            return str(GRANT_END_LABELS[value])
        return self.value_label(name, value)

    def change_rows(self) -> list[dict[str, object]]:
        """Return the recorded changes with field labels in the user's language."""
        rows: list[dict[str, object]] = []
        for name, change in (self.changes or {}).items():
            if name == "fields":
                rows.append(
                    {"label": ", ".join(self._field_label(f) for f in change), "given": True}
                )
            elif isinstance(change, dict) and name != "filters":
                row: dict[str, object] = {"label": self._field_label(name), **change}
                for side in ("old", "new"):
                    if side in change:
                        row[side] = self.value_label(name, change[side])
                rows.append(row)
            else:
                label = DETAIL_LABELS.get(name) or self._field_label(name)
                rows.append({"label": str(label), "text": self._detail(name, change)})
        return rows
