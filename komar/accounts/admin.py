from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

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
    """Accounts, to look at only.

    An account's role, team, organisation, active state and Django rights decide what
    its holder may see; every change to them is audited. Komar's Users page
    (``/users/``, :mod:`komar.accounts.services`) makes them with their audit events;
    this admin would make them silently, so it only shows accounts. The first
    administrator of an organisation is made with ``manage.py komar_create_administrator``.
    """

    list_display = ["username", "full_name", "organisation", "team", "role", "is_active"]
    list_filter = ["role", "organisation", "is_active"]
    search_fields = ["username", "full_name", "full_name_km"]
    fieldsets = (
        (
            None,
            {
                "fields": ("username",),
                "description": _(
                    "Accounts are managed on Komar's Users page (/users/), where every "
                    "change is audited. Here they can only be looked at."
                ),
            },
        ),
        (
            _("Role and team"),
            {"fields": ("full_name", "full_name_km", "organisation", "team", "role")},
        ),
        (
            _("Sign-in"),
            {"fields": ("is_active", "last_login", "date_joined", "preferred_language")},
        ),
        (_("Django admin rights"), {"fields": ("is_staff", "is_superuser", "groups")}),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
