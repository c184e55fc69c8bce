"""HTML fragments for the village picker: option lists, the code input and the place
search (HTMX)."""

import unicodedata

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from komar.geo.forms import (
    LEVELS,
    MODE_PLACE,
    MODE_VILLAGE,
    PLACEHOLDERS,
    SAFE_NAME_RE,
    SEARCH_LIMIT,
    SEARCH_MAX_LENGTH,
    code_input_context,
    picker_selects_context,
    search_hits_context,
    unit_options,
)
from komar.geo.models import Village
from komar.geo.selectors import (
    communes_of,
    districts_of,
    locations_find,
    unit_get,
    village_get,
    villages_of,
)

_CHILD = {"province": "district", "district": "commune", "commune": "village"}
_LISTS = {"province": districts_of, "district": communes_of, "commune": villages_of}


class _PickerRequest:
    """The parameters a picker request carries: its field, widget id and values."""

    def __init__(self, request: HttpRequest) -> None:
        self.field = request.GET.get("field", "")
        self.picker = request.GET.get("picker", "")
        self.required = bool(request.GET.get("required"))
        self.mode = MODE_PLACE if request.GET.get("mode") == MODE_PLACE else MODE_VILLAGE
        self.valid = all(SAFE_NAME_RE.fullmatch(v) for v in (self.field, self.picker) if v)
        self._get = request.GET

    def value(self, key: str) -> str:
        """Return a list's value, sent as ``key`` or as the widget's ``<field>__key``."""
        value = self._get.get(key) or (self.field and self._get.get(f"{self.field}__{key}"))
        return (value or "").strip()

    def code_input(self, value: str) -> dict | None:
        if not (self.field and self.picker):
            return None
        return code_input_context(
            name=self.field,
            widget_id=self.picker,
            value=value,
            required=self.required,
            mode=self.mode,
        )

    def deepest_code(self, down_to: str) -> str:
        """Return the code of the lowest unit chosen in the lists down to ``down_to``
        (place mode: the place is known at that level), or ""."""
        for level in reversed(LEVELS[: LEVELS.index(down_to) + 1]):
            unit = unit_get(code=self.value(level))
            if unit is not None and unit.level == level:
                return unit.code
        return ""


def _options(request: HttpRequest, parent_level: str) -> HttpResponse:
    params = _PickerRequest(request)
    if not params.valid:
        return HttpResponseBadRequest()
    child = _CHILD[parent_level]
    units = _LISTS[parent_level](params.value(parent_level))
    reset = []
    if params.picker:
        # The lists below the new one and the code input no longer match the choice.
        reset = [
            {"id": f"{params.picker}__{level}", "placeholder": PLACEHOLDERS[level]}
            for level in LEVELS[LEVELS.index(child) + 1 :]
        ]
    context = {
        "placeholder": PLACEHOLDERS[child],
        "options": unit_options(units),
        "reset": reset,
        "code_input": params.code_input(
            params.deepest_code(parent_level) if params.mode == MODE_PLACE else ""
        ),
    }
    return render(request, "geo/partials/options.html", context)


@require_GET
@login_required
def district_options(request: HttpRequest) -> HttpResponse:
    """Return the ``<option>`` list of a province's districts (``?province=01``)."""
    return _options(request, "province")


@require_GET
@login_required
def commune_options(request: HttpRequest) -> HttpResponse:
    """Return the ``<option>`` list of a district's communes (``?district=0102``)."""
    return _options(request, "district")


@require_GET
@login_required
def village_options(request: HttpRequest) -> HttpResponse:
    """Return the ``<option>`` list of a commune's villages (``?commune=010201``)."""
    return _options(request, "commune")


@require_GET
@login_required
def village_code_input(request: HttpRequest) -> HttpResponse:
    """Return the picker's code input holding the village chosen in its list."""
    params = _PickerRequest(request)
    if not (params.valid and params.field and params.picker):
        return HttpResponseBadRequest()
    if params.mode == MODE_PLACE:
        context = {"input": params.code_input(params.deepest_code("village"))}
        return render(request, "geo/partials/code_input.html", context)
    village = village_get(code=params.value("village"))
    context = {"input": params.code_input(village.code if village else "")}
    return render(request, "geo/partials/code_input.html", context)


@require_GET
@login_required
def picker_selects(request: HttpRequest) -> HttpResponse:
    """Return the picker's four lists preselected from the code typed in its input."""
    params = _PickerRequest(request)
    if not (params.valid and params.field and params.picker):
        return HttpResponseBadRequest()
    typed = request.GET.get("code") or request.GET.get(params.field) or ""
    found = unit_get(code=typed) if params.mode == MODE_PLACE else village_get(code=typed)
    context = {
        "picker": picker_selects_context(
            name=params.field,
            widget_id=params.picker,
            code=found.code if found else None,
            mode=params.mode,
        ),
        # A valid code is rewritten as stored (ASCII digits, zero-padded); a wrong one
        # stays as typed, for the form to reject with its message.
        "code_input": params.code_input(found.code) if found else None,
    }
    return render(request, "geo/partials/selects.html", context)


def _search_query(raw: str) -> str:
    """Return the place search's query, or "" when it is too long or holds control
    characters (which no name has)."""
    if len(raw) > SEARCH_MAX_LENGTH or any(unicodedata.category(c) == "Cc" for c in raw):
        return ""
    return raw.strip()


@require_GET
@login_required
def picker_search(request: HttpRequest) -> HttpResponse:
    """Return the places matching the picker's search box, each a button that picks it.

    The query (``?q=`` or the box's ``<field>__search``) is a name in Khmer or Latin
    script, official or everyday spelling, or a code. An empty, too long or otherwise
    unusable query gives an empty list.
    """
    params = _PickerRequest(request)
    if not (params.valid and params.field and params.picker):
        return HttpResponseBadRequest()
    raw = request.GET.get("q") or request.GET.get(f"{params.field}__search") or ""
    query = _search_query(raw)
    found = locations_find(q=query, limit=SEARCH_LIMIT) if query else None
    hits = found.hits if found else []
    context = {
        "hits": search_hits_context(hits),
        "count": found.count if found else 0,
        "more": bool(found and found.count > len(hits)),
        "searched": bool(query),
        "place_url": reverse("geo:picker_place"),
        "picker": params.picker,
    }
    return render(request, "geo/partials/search_hits.html", context)


@require_GET
@login_required
def picker_place(request: HttpRequest) -> HttpResponse:
    """Pick a place search hit: return the picker's lists preselected down to the unit.

    A village also fills the code input; a province, district or commune leaves the
    next level's list to choose from and empties the code input. The response itself
    is empty, to clear the list of hits it replaces.
    """
    params = _PickerRequest(request)
    if not (params.valid and params.field and params.picker):
        return HttpResponseBadRequest()
    unit = unit_get(code=params.value("unit"))
    if unit is None:
        return HttpResponse("")
    context = {
        "picker": picker_selects_context(
            name=params.field,
            widget_id=params.picker,
            code=unit.code,
            any_level=True,
            mode=params.mode,
        ),
        # A place picker takes the unit at its level; a village picker only a village.
        "code_input": params.code_input(
            unit.code if isinstance(unit, Village) or params.mode == MODE_PLACE else ""
        ),
    }
    return render(request, "geo/partials/place.html", context)
