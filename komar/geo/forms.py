"""Form fields for places: a village code with a cascading province → village picker."""

import json
import re

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from komar.geo.models import (
    AdministrativeUnit,
    CommuneType,
    DistrictType,
    Level,
    ProvinceType,
    Village,
)
from komar.geo.selectors import (
    LocationHit,
    communes_of,
    districts_of,
    place_code_parse,
    provinces_list,
    unit_get,
    village_code_parse,
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
# The place search box: the longest query it sends (as long as a unit's name) and how
# many hits it lists.
SEARCH_MAX_LENGTH = 100
SEARCH_LIMIT = 8
# What a hit says it is: "Krong (municipality)" tells the town from its sangkat.
_UNIT_TYPE_LABELS = {
    **dict(ProvinceType.choices),
    **dict(DistrictType.choices),
    **dict(CommuneType.choices),
    "phum": Level.VILLAGE.label,
}


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


# A picker in "place" mode lets the user stop at any level (this whole district); in
# "village" mode (the default) only a village fills the code input.
MODE_VILLAGE, MODE_PLACE = "village", "place"


def code_input_context(
    *,
    name: str,
    widget_id: str,
    value: str,
    required: bool,
    attrs: dict | None = None,
    mode: str = MODE_VILLAGE,
) -> dict[str, object]:
    """Return the template context of the picker's code input."""
    base = {
        "class": "form-control",
        "inputmode": "numeric",
        "autocomplete": "off",
        "maxlength": "20",
        "placeholder": (
            _("Place code, e.g. 0110 (a district) or 01020101 (a village)")
            if mode == MODE_PLACE
            else _("Village code, e.g. 01020101")
        ),
        "aria-label": _("Place code") if mode == MODE_PLACE else _("Village code"),
    }
    return {
        "name": name,
        "id": widget_id,
        "value": value,
        "required": required,
        "attrs": {**base, **(attrs or {})},
        "selects_url": reverse("geo:picker_selects"),
    }


def picker_selects_context(
    *,
    name: str,
    widget_id: str,
    code: str | None,
    any_level: bool = False,
    mode: str = MODE_VILLAGE,
) -> dict[str, object]:
    """Return the template context of the picker's four lists, preselected from a code.

    The code is a village's; with ``any_level`` it may also be a province's, district's
    or commune's (a place search hit): the lists are then preselected down to that unit
    and the next level's list holds its children, left to be chosen.
    """
    if not code:
        unit = None
    elif any_level or mode == MODE_PLACE:
        unit = unit_get(code=code)
    else:
        unit = village_get(code=code)
    selected: dict[str, AdministrativeUnit | None] = dict.fromkeys(LEVELS)
    while unit is not None:
        selected[str(unit.level)] = unit
        unit = unit.parent
    province, district, commune, village = (selected[level] for level in LEVELS)
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
                # In place mode the chosen lists above are sent too: clearing a list
                # leaves the place at the level above it.
                "include": ", ".join(
                    f"#{widget_id}__{above}" for above in LEVELS[: LEVELS.index(level)]
                )
                if mode == MODE_PLACE
                else "",
            }
        )
    return {"name": name, "id": widget_id, "levels": levels}


def search_input_context(*, name: str, widget_id: str) -> dict[str, object]:
    """Return the template context of the picker's place search box.

    Its name ends in ``__search``, which no form field has: the form ignores it when
    the box is submitted with the rest of the form.
    """
    return {
        "id": f"{widget_id}__search",
        "name": f"{name}__search",
        "hits_id": f"{widget_id}__hits",
        "url": reverse("geo:picker_search"),
        "maxlength": SEARCH_MAX_LENGTH,
        "label": _("Find a place"),
        "placeholder": _("Find a place: its name in Khmer or Latin script, or its code"),
    }


def search_hits_context(hits: list[LocationHit]) -> list[dict[str, object]]:
    """Return the place search's hits as the picker lists them, each with the values
    its click sends (the unit's code)."""
    return [
        {
            "code": hit.code,
            "level": hit.level,
            "label": hit.label,
            "type_label": _UNIT_TYPE_LABELS.get(hit.unit_type, ""),
            "path_km": hit.path_label_km,
            "path_latin": hit.path_label_latin,
            "hx_vals": json.dumps({"unit": hit.code}),
        }
        for hit in hits
    ]


def picker_hx_vals(*, name: str, widget_id: str, required: bool, mode: str = MODE_VILLAGE) -> str:
    """Return the JSON every picker request sends: which field and widget it is for,
    and whether it picks a village or a place at any level."""
    values = {"field": name, "picker": widget_id, "required": "1" if required else ""}
    if mode == MODE_PLACE:
        values["mode"] = MODE_PLACE
    return json.dumps(values)


class VillagePickerWidget(forms.TextInput):
    """A village code input with cascading province → district → commune → village lists.

    The text input (named as the field) holds the village code and is what the form
    submits, so the widget works without scripts: the user can type a code. With HTMX
    (loaded by the base page), choosing a province, district or commune fetches the
    next list, choosing a village writes its code into the input, and typing a code
    preselects the four lists. Above the lists, a place search box lists the units whose
    name (Khmer or Latin, official or everyday spelling) or code matches what is typed;
    choosing one preselects the lists down to it (and, for a village, fills the code).
    """

    template_name = "geo/widgets/village_picker.html"
    mode = MODE_VILLAGE

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget_id = widget["attrs"].get("id") or f"id_{name}"
        required = bool(widget["required"])
        extra = {k: v for k, v in widget["attrs"].items() if k not in ("id", "required")}
        # The one parser of codes; a code it cannot read preselects nothing.
        code = (place_code_parse(value) or "") if value else ""
        context["code_input"] = code_input_context(
            name=name,
            widget_id=widget_id,
            value=widget["value"] or "",
            required=required,
            attrs=extra,
            mode=self.mode,
        )
        context["picker"] = picker_selects_context(
            name=name, widget_id=widget_id, code=code, mode=self.mode
        )
        context["picker"]["hx_vals"] = picker_hx_vals(
            name=name, widget_id=widget_id, required=required, mode=self.mode
        )
        context["search"] = search_input_context(name=name, widget_id=widget_id)
        context["place_mode"] = self.mode == MODE_PLACE
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
        return super().to_python(value)

    def clean(self, value):
        typed = super().clean(value)
        if typed in self.empty_values:
            return None if self.to_instance else typed
        # The one parser of codes (the API and the services use it too).
        village = village_get(code=typed) if village_code_parse(typed) else None
        if village is None:
            raise ValidationError(self.error_messages["unknown_village"], code="unknown_village")
        return village if self.to_instance else village.code


class PlacePickerWidget(VillagePickerWidget):
    """The village picker in "place" mode: the code input holds the deepest unit chosen,
    so the user may stop at a province, district or commune ("this whole district")."""

    mode = MODE_PLACE


class PlaceField(forms.CharField):
    """A place in Cambodia known at any level: a province, district, commune or village,
    entered as its code (2, 4, 6 or 8 digits, ASCII or Khmer, separators allowed) or picked.

    ``cleaned_data`` holds the code as stored ("0110").
    """

    widget = PlacePickerWidget
    default_error_messages = {
        "invalid_code": _("Enter a place code of 2, 4, 6 or 8 digits."),
        "unknown_place": _("No place has this code."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("label", _("Place"))
        super().__init__(**kwargs)

    def clean(self, value):
        typed = super().clean(value)
        if typed in self.empty_values:
            return typed
        code = place_code_parse(typed)
        if code is None:
            raise ValidationError(self.error_messages["invalid_code"], code="invalid_code")
        unit = unit_get(code=code)
        if unit is None:
            raise ValidationError(self.error_messages["unknown_place"], code="unknown_place")
        return unit.code
