"""Form fields and helpers shared by the web forms of every app."""

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

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


_DATE_SEPARATORS = re.compile(r"\s*[-./]\s*")


def parse_day_first_date(text: str) -> datetime.date | None:
    """Return the date written day first (26/10/2026, ២៦-១០-២០២៦, 26.10.2026), or None.

    An ISO date (2026-10-26) is also read, so a value saved by an older page or pasted
    from the API still works. Anything else, including a two-digit year, is None.
    """
    text = ascii_digits(text).strip()
    if len(text) == 8 and text.isdigit():  # 26102026, typed without separators
        text = f"{text[:2]}/{text[2:4]}/{text[4:]}"
    parts = _DATE_SEPARATORS.split(text)
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return None
    if len(parts[0]) == 4:
        year, month, day = parts
    else:
        day, month, year = parts
    if len(year) != 4 or len(day) > 2 or len(month) > 2:
        return None
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


class DayFirstDateInput(forms.DateInput):
    """A text box for a day-first date (dd/mm/yyyy), the way Cambodians write dates.

    Not ``<input type="date">``: the browser's picker follows the browser's locale
    (mm/dd/yyyy on many Khmer pages) and garbles a typed day-first date.
    """

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "autocomplete": "off",
            "maxlength": "14",
            "data-date": "day-first",
        }
        defaults.update(attrs or {})
        super().__init__(attrs=defaults, format="%d/%m/%Y")


class DateField(forms.DateField):
    """A date typed day first (dd/mm/yyyy), with Khmer or ASCII digits and -, . or /."""

    widget = DayFirstDateInput
    default_error_messages = {
        "invalid": _("Write the date as day/month/year, for example 26/10/2026."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("Day/month/year, for example 26/10/2026."))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> datetime.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        parsed = parse_day_first_date(str(value))
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


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
