from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from komar.accounts.models import Organisation, Team, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "name_km", "type", "is_host", "is_active"]
    list_filter = ["type", "is_active"]
    search_fields = ["name", "name_km"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]


@admin.register(User)
class KomarUserAdmin(UserAdmin):
    list_display = ["username", "organisation", "team", "role", "is_active"]
    list_filter = ["role", "organisation", "is_active"]
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]  # set on UserAdmin; the stubs allow None
        ("Komar", {"fields": ("organisation", "team", "role", "preferred_language")}),
    )
