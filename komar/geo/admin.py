from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from komar.geo.models import Commune, District, PlaceAlias, Province, Village
from komar.geo.selectors import unit_get
from komar.geo.services import place_alias_save


class ReadOnlyUnitAdmin(admin.ModelAdmin):
    """The gazetteer is loaded from the NCDD files (``load_gazetteer``), never edited here."""

    search_fields = ["code", "name_latin", "name_km"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Province)
class ProvinceAdmin(ReadOnlyUnitAdmin):
    list_display = ["code", "name_km", "name_latin", "unit_type", "iso3166_2", "valid_to"]
    list_filter = ["unit_type"]


@admin.register(District)
class DistrictAdmin(ReadOnlyUnitAdmin):
    list_display = ["code", "name_km", "name_latin", "unit_type", "province", "valid_to"]
    list_filter = ["unit_type", "province"]
    list_select_related = ["province"]


@admin.register(Commune)
class CommuneAdmin(ReadOnlyUnitAdmin):
    list_display = ["code", "name_km", "name_latin", "unit_type", "district", "valid_to"]
    list_filter = ["unit_type", "district__province"]
    list_select_related = ["district"]


@admin.register(Village)
class VillageAdmin(ReadOnlyUnitAdmin):
    list_display = ["code", "name_km", "name_latin", "commune", "valid_to"]
    list_filter = ["commune__district__province"]
    list_select_related = ["commune"]


@admin.register(PlaceAlias)
class PlaceAliasAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "unit", "note"]
    search_fields = ["name", "code", "note"]
    fields = ["name", "code", "note"]

    @admin.display(description=_("unit"))
    def unit(self, obj: PlaceAlias) -> str:
        found = unit_get(code=obj.code)
        return str(found) if found else "—"

    def save_model(self, request: HttpRequest, obj: PlaceAlias, form, change: bool) -> None:
        place_alias_save(alias=obj)
