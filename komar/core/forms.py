"""Form fields and helpers shared by the web forms of every app."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from komar.core.khmer import ascii_digits


class AsciiDigitsMixin:
    """Read Khmer digits as ASCII digits before parsing (១២ → 12)."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = ascii_digits(value)
        return super().to_python(value)  # type: ignore[misc]


class IntegerField(AsciiDigitsMixin, forms.IntegerField):
    # A text input: browsers refuse Khmer digits in <input type="number">.
    widget = forms.TextInput(attrs={"inputmode": "numeric"})


class DateField(AsciiDigitsMixin, forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BootstrapFormMixin:
    """Give every widget Bootstrap's classes and mark invalid fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(
                widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)
            ):
                css = "form-check-input" if isinstance(widget, forms.CheckboxInput) else ""
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            if css:
                widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()

    def add_service_errors(
        self, error: ValidationError, aliases: dict[str, str] | None = None
    ) -> None:
        """Show a service's field errors on the matching form fields."""
        aliases = aliases or {}
        for name, messages in error.message_dict.items():
            name = aliases.get(name, name)
            target = name if name in self.fields else None  # type: ignore[attr-defined]
            for message in messages:
                self.add_error(target, message)  # type: ignore[attr-defined]
