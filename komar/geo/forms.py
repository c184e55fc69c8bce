"""Form fields for places: a village code with a cascading province → village picker."""

import json
import re

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from komar.core.khmer import ascii_digits
from komar.geo.models import AdministrativeUnit, Village
from komar.geo.selectors import (
    communes_of,
    districts_of,
    provinces_list,
    village_get,
    villages_of,
)

# Field names and widget ids that the picker's HTMX requests send back; anything else is
# refused, since they are echoed into the returned HTML and CSS selectors.
SAFE_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_\-]{0,99}", re.ASCII)
LEVELS = ("province", "district", "commune", "village")
PLACEHOLDERS = {
    "province": _("— Province —"),
    "district": _("— District —"),
    "commune": _("— Commune —"),
    "village": _("— Village —"),
}
LABELS = {
    "province": _("Province"),
    "district": _("District"),
    "commune": _("Commune"),
    "village": _("Village"),
}
# The URL each list fetches when it changes: the next level's options, or, for the
# village list, the code input holding the chosen village.
_NEXT_URL = {
    "province": "geo:district_options",
    "district": "geo:commune_options",
    "commune": "geo:village_options",
    "village": "geo:village_code_input",
}
_CODE_SEPARATORS_RE = re.compile(r"[\s.\-/]+")


def unit_options(units, selected: str | None = None) -> list[dict[str, object]]:
    """Return a picker list's options: the code and the name in both scripts."""
    return [
        {"value": unit.code, "label": unit.label, "selected": unit.code == selected}
        for unit in units
    ]


def _with_selected(units: list, selected: AdministrativeUnit | None) -> list:
    # A unit closed by valid_to is not offered for new entries, but a record that
    # already points at it must still show it.
    if selected is not None and all(u.code != selected.code for u in units):
        units = sorted([*units, selected], key=lambda u: u.code)
    return units


def code_input_context(
    *, name: str, widget_id: str, value: str, required: bool, attrs: dict | None = None
) -> dict[str, object]:
    """Return the template context of the picker's code input."""
    base = {
        "class": "form-control",
        "inputmode": "numeric",
        "autocomplete": "off",
        "maxlength": "20",
        "placeholder": _("Village code, e.g. 01020101"),
    }
    return {
        "name": name,
        "id": widget_id,
        "value": value,
        "required": required,
        "attrs": {**base, **(attrs or {})},
        "selects_url": reverse("geo:picker_selects"),
    }


def picker_selects_context(*, name: str, widget_id: str, code: str | None) -> dict[str, object]:
    """Return the template context of the picker's four lists, preselected from a code."""
    village = village_get(code=code) if code else None
    commune = village.commune if village else None
    district = commune.district if commune else None
    province = district.province if district else None
    selected = {"province": province, "district": district, "commune": commune, "village": village}
    units = {
        "province": _with_selected(list(provinces_list()), province),
        "district": _with_selected(list(districts_of(province.code)), district) if province else [],
        "commune": _with_selected(list(communes_of(district.code)), commune) if district else [],
        "village": _with_selected(list(villages_of(commune.code)), village) if commune else [],
    }
    levels = []
    for level in LEVELS:
        unit = selected[level]
        target = (
            f"#{widget_id}"
            if level == "village"
            else f"#{widget_id}__{LEVELS[LEVELS.index(level) + 1]}"
        )
        levels.append(
            {
                "level": level,
                "id": f"{widget_id}__{level}",
                "name": f"{name}__{level}",
                "options": unit_options(units[level], unit.code if unit else None),
                "placeholder": PLACEHOLDERS[level],
                "label": LABELS[level],
                "url": reverse(_NEXT_URL[level]),
                "target": target,
                "swap": "outerHTML" if level == "village" else "innerHTML",
            }
        )
    return {"name": name, "id": widget_id, "levels": levels}


def picker_hx_vals(*, name: str, widget_id: str, required: bool) -> str:
    """Return the JSON every picker request sends: which field and widget it is for."""
    return json.dumps({"field": name, "picker": widget_id, "required": "1" if required else ""})


class VillagePickerWidget(forms.TextInput):
    """A village code input with cascading province → district → commune → village lists.

    The text input (named as the field) holds the village code and is what the form
    submits, so the widget works without scripts: the user can type a code. With HTMX
    (loaded by the base page), choosing a province, district or commune fetches the
    next list, choosing a village writes its code into the input, and typing a code
    preselects the four lists.
    """

    template_name = "geo/widgets/village_picker.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget_id = widget["attrs"].get("id") or f"id_{name}"
        required = bool(widget["required"])
        extra = {k: v for k, v in widget["attrs"].items() if k not in ("id", "required")}
        code = _CODE_SEPARATORS_RE.sub("", ascii_digits(str(value))) if value else ""
        context["code_input"] = code_input_context(
            name=name,
            widget_id=widget_id,
            value=widget["value"] or "",
            required=required,
            attrs=extra,
        )
        context["picker"] = picker_selects_context(name=name, widget_id=widget_id, code=code)
        context["picker"]["hx_vals"] = picker_hx_vals(
            name=name, widget_id=widget_id, required=required
        )
        return context


class VillageField(forms.CharField):
    """A village, entered as its 8-digit code (ASCII or Khmer digits) or picked.

    ``cleaned_data`` holds the code as stored ("01020101"); with ``to_instance=True`` it
    holds the ``Village``, for a ModelForm whose model has a foreign key to a village.
    """

    widget = VillagePickerWidget
    default_error_messages = {
        "unknown_village": _("Unknown village code."),
    }

    def __init__(self, *, to_instance: bool = False, **kwargs):
        self.to_instance = to_instance
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("label", _("Village"))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Village):
            return value.code
        return value

    def to_python(self, value):
        if isinstance(value, Village):
            return value.code
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return _CODE_SEPARATORS_RE.sub("", ascii_digits(value))

    def clean(self, value):
        code = super().clean(value)
        if code in self.empty_values:
            return None if self.to_instance else code
        village = None
        if re.fullmatch(r"[0-9]{7,8}", code, re.ASCII):
            village = village_get(code=code)
        if village is None:
            raise ValidationError(self.error_messages["unknown_village"], code="unknown_village")
        return village if self.to_instance else village.code
