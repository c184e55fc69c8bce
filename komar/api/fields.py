"""Serializer building blocks shared by the apps' API serializers.

Serializers only parse types; the services hold the rules. These pieces make parsing
strict (an unknown field is an error, not silently dropped) and Khmer-aware (Khmer
digits are digits).
"""

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

from komar.core.khmer import ascii_digits

# The largest value a database integer column holds: larger ones must fail as input
# errors, not as database errors.
INT64_MAX = 2**63 - 1


class StrictSerializer(serializers.Serializer):
    """A serializer that refuses fields it does not know or that cannot be written.

    Silently ignoring a misspelt field ("consent_service") would let a person believe
    a consent was recorded when it was not.
    """

    default_error_messages = {
        "unknown_field": _("Unknown field."),
        "read_only_field": _("This field cannot be changed."),
    }
    # Names accepted without being fields (the paginator's query parameters).
    allowed_extra: frozenset[str] = frozenset()

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            errors: dict[str, list[Any]] = {}
            for name in data:
                field = self.fields.get(name)
                if field is None and name in self.allowed_extra:
                    continue
                if field is None:
                    errors[str(name)] = [self.error_messages["unknown_field"]]
                elif field.read_only:
                    errors[str(name)] = [self.error_messages["read_only_field"]]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class KhmerIntegerField(serializers.IntegerField):
    """An integer that may be written with Khmer digits ("២០១២" is 2012).

    Bounded to what the database holds unless narrower bounds are given.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_value", INT64_MAX)
        kwargs.setdefault("min_value", -INT64_MAX)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, str):
            data = ascii_digits(data)
        return super().to_internal_value(data)


class KhmerDateField(serializers.DateField):
    """An ISO date (YYYY-MM-DD) that may be written with Khmer digits."""

    def to_internal_value(self, value: Any) -> Any:
        if isinstance(value, str):
            value = ascii_digits(value)
        return super().to_internal_value(value)


class DigitsField(serializers.CharField):
    """A code made of digits (a place code), which may be written with Khmer digits."""

    def to_internal_value(self, data: Any) -> str:
        return ascii_digits(super().to_internal_value(data))


class CodeField(serializers.CharField):
    """A code from a value set, parsed as text: the service checks it is in the set.

    ``codes`` (a ``TextChoices`` class, or any iterable of codes with an ``enum_name``)
    only documents the accepted values in the schema, as a named enum.
    """

    def __init__(self, *, codes: Any, enum_name: str | None = None, **kwargs: Any) -> None:
        is_choices = isinstance(codes, type) and issubclass(codes, models.Choices)
        self.codes: list[str] = list(codes.values) if is_choices else list(codes)
        self.enum_name = enum_name or (codes.__name__ if is_choices else None)
        super().__init__(**kwargs)


class CodeFieldExtension(OpenApiSerializerFieldExtension):
    """Document a :class:`CodeField` as a reference to a named enum of its codes."""

    target_class = CodeField

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        field = self.target
        schema: dict[str, Any] = {"type": "string", "enum": field.codes}
        if field.enum_name is None:
            return {**schema, "enum": [*field.codes, ""]} if field.allow_blank else schema
        component = ResolvedComponent(
            name=f"{field.enum_name}Enum",
            type=ResolvedComponent.SCHEMA,
            object=f"{field.enum_name}Enum",
            schema=schema,
        )
        auto_schema.registry.register_on_missing(component)
        if not field.allow_blank:
            return component.ref
        blank = ResolvedComponent(
            name="BlankEnum",
            type=ResolvedComponent.SCHEMA,
            object="BlankEnum",
            schema={"enum": [""]},
        )
        auto_schema.registry.register_on_missing(blank)
        return {"oneOf": [component.ref, blank.ref]}
