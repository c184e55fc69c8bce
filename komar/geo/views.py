"""HTML fragments for the village picker: option lists and the code input (HTMX)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET

from komar.geo.forms import (
    LEVELS,
    PLACEHOLDERS,
    SAFE_NAME_RE,
    code_input_context,
    picker_selects_context,
    unit_options,
)
from komar.geo.selectors import communes_of, districts_of, village_get, villages_of

_CHILD = {"province": "district", "district": "commune", "commune": "village"}
_LISTS = {"province": districts_of, "district": communes_of, "commune": villages_of}


class _PickerRequest:
    """The parameters a picker request carries: its field, widget id and values."""

    def __init__(self, request: HttpRequest) -> None:
        self.field = request.GET.get("field", "")
        self.picker = request.GET.get("picker", "")
        self.required = bool(request.GET.get("required"))
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
            name=self.field, widget_id=self.picker, value=value, required=self.required
        )


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
        "code_input": params.code_input(""),
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
    village = village_get(code=typed)
    context = {
        "picker": picker_selects_context(
            name=params.field, widget_id=params.picker, code=village.code if village else None
        ),
        # A valid code is rewritten as stored (ASCII digits, zero-padded); a wrong one
        # stays as typed, for the form to reject with its message.
        "code_input": params.code_input(village.code) if village else None,
    }
    return render(request, "geo/partials/selects.html", context)
