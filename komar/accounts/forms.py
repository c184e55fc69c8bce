"""Web forms of user administration and of setting a password with a one-time code.

The forms parse types only (text, a choice from a list); the rules (who may be given
which team, usernames taken in any letter case, password strength) are the services'.
"""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from komar.accounts.models import Organisation, Team, User
from komar.accounts.roles import Role
from komar.core.forms import BootstrapFormMixin

BLANK: list[tuple[Any, str]] = [("", "—")]
LANGUAGE_CHOICES: list[tuple[str, str]] = [("", "—"), ("en", "English"), ("km", "ខ្មែរ")]


def _organisation_name(organisation: Organisation) -> str:
    if (get_language() or "").startswith("km") and organisation.name_km:
        return organisation.name_km
    return organisation.name


def team_choices(teams: Iterable[Team], *, grouped: bool) -> list[tuple[Any, Any]]:
    """Return the teams as choices; grouped by organisation when there are several."""
    if not grouped:
        return BLANK + [(team.pk, team.name) for team in teams]
    groups: dict[str, list[tuple[int, str]]] = {}
    for team in teams:
        groups.setdefault(_organisation_name(team.organisation), []).append((team.pk, team.name))
    return BLANK + list(groups.items())


class UserFilterForm(BootstrapFormMixin, forms.Form):
    """The filters of the user list."""

    q = forms.CharField(label=_("Name or username"), required=False, max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=[*BLANK, *Role.choices], required=False)
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Active and inactive")), ("yes", _("Active")), ("no", _("Inactive"))],
    )

    def __init__(self, *args: Any, teams: QuerySet[Team], grouped: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = team_choices(teams, grouped=grouped)  # type: ignore[attr-defined]  # a ChoiceField

    def to_filters(self) -> dict[str, Any]:
        """Return the valid filters as the selector's keyword arguments."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        active = data.get("active") or ""
        return {
            "q": data.get("q") or "",
            "role": data.get("role") or "",
            "team_id": data.get("team"),
            "is_active": {"yes": True, "no": False}.get(active),
        }


class _UserFieldsForm(BootstrapFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    team = forms.TypedChoiceField(
        label=_("Team"), required=False, coerce=int, empty_value=None, choices=BLANK
    )
    full_name = forms.CharField(
        label=_("Full name in Latin letters"), required=False, max_length=150
    )
    full_name_km = forms.CharField(label=_("Full name in Khmer"), required=False, max_length=150)
    preferred_language = forms.ChoiceField(
        label=_("Language of the pages"), choices=LANGUAGE_CHOICES, required=False
    )

    def __init__(self, *args: Any, teams: QuerySet[Team], grouped: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = team_choices(teams, grouped=grouped)  # type: ignore[attr-defined]  # a ChoiceField
        self.fields["full_name_km"].widget.attrs["lang"] = "km"


class UserCreateForm(_UserFieldsForm):
    """A new account: username, organisation (for the host's administrators), role,
    team, names and language."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only. Letter case does not count."),
    )
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), coerce=int, empty_value=None, required=False
    )
    field_order = [
        "username",
        "full_name",
        "full_name_km",
        "organisation",
        "role",
        "team",
        "preferred_language",
    ]

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        teams: QuerySet[Team],
        grouped: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, teams=teams, grouped=grouped, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="off", autocapitalize="none")
        if grouped:
            self.fields["organisation"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
                (org.pk, _organisation_name(org)) for org in organisations
            ]
        else:
            del self.fields["organisation"]

    def service_arguments(self) -> dict[str, Any]:
        """Return the parsed values as :func:`komar.accounts.services.user_create` takes them."""
        data = self.cleaned_data
        return {
            "username": data["username"],
            "role": data["role"],
            "organisation_id": data.get("organisation"),
            "team_id": data.get("team"),
            "full_name": data["full_name"],
            "full_name_km": data["full_name_km"],
            "preferred_language": data["preferred_language"],
        }


class UserEditForm(_UserFieldsForm):
    """The changeable values of an account: role, team, names, language, active."""

    is_active = forms.BooleanField(
        label=_("Active: the person may sign in"),
        required=False,
    )

    @staticmethod
    def initial_from(user: User) -> dict[str, Any]:
        return {
            "role": user.role,
            "team": user.team_id,
            "full_name": user.full_name,
            "full_name_km": user.full_name_km,
            "preferred_language": user.preferred_language,
            "is_active": user.is_active,
        }

    def service_arguments(self) -> dict[str, Any]:
        """Return the parsed values as :func:`komar.accounts.services.user_update` takes them."""
        data = self.cleaned_data
        return {
            "role": data["role"],
            "team_id": data.get("team"),
            "full_name": data["full_name"],
            "full_name_km": data["full_name_km"],
            "preferred_language": data["preferred_language"],
            "is_active": data["is_active"],
        }


class SetPasswordWithCodeForm(BootstrapFormMixin, forms.Form):
    """Username, the one-time code from the administrator, and the new password twice."""

    username = forms.CharField(label=_("Username"), max_length=150)
    code = forms.CharField(
        label=_("One-time code"),
        max_length=40,
        help_text=_("The code your administrator handed you, for example ABCD-EFGH-JKMN."),
    )
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(
            autocomplete="username", autocapitalize="none", autofocus=True
        )
        self.fields["code"].widget.attrs.update(
            autocomplete="one-time-code", autocapitalize="characters", spellcheck="false"
        )
