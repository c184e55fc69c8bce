from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from komar.accounts.roles import POLICIES, Perm, Role, RolePolicy, Scope


class OrganisationType(models.TextChoices):
    """Organisation types; HTCDS 2.0 ``org_Type`` codes plus Cambodia's partners."""

    NGO = "ngo", _("NGO")
    POLICE = "police", _("Police (anti-trafficking and juvenile protection)")
    SOCIAL_AFFAIRS = "social_affairs", _("Social affairs office")
    HOSPITAL = "hospital", _("Hospital or health service")
    SHELTER = "shelter", _("Shelter")
    LEGAL_SERVICE = "legal_service", _("Legal service")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    CENTRAL_GOVERNMENT = "central_government", _("Central government")
    IMMIGRATION = "immigration", _("Immigration service")
    SCHOOL = "school", _("School or college")
    BUSINESS = "business", _("Business")


class Organisation(models.Model):
    """An organisation using Komar: the host NGO or one of its partners."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_km = models.CharField(_("name in Khmer"), max_length=200, blank=True)
    type = models.CharField(_("type"), max_length=32, choices=OrganisationType.choices)
    is_host = models.BooleanField(
        _("host organisation"), default=False, help_text=_("The organisation that runs Komar.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["is_host"], condition=models.Q(is_host=True), name="one_host_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.display_name()

    def display_name(self, language: str | None = None) -> str:
        """Return the name in the given (default: active) language: Khmer on Khmer pages."""
        language = language or get_language() or ""
        if language.startswith("km") and self.name_km:
            return self.name_km
        return self.name


class Team(models.Model):
    """A team inside an organisation (a field office, a shelter's staff)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique_in_org")
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in: staff of an organisation, with one role."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="users", null=True
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="members", null=True, blank=True
    )
    role = models.CharField(
        _("role"), max_length=32, choices=Role.choices, default=Role.CASE_WORKER
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        blank=True,
        choices=[("en", "English"), ("km", "ខ្មែរ")],
    )
    full_name = models.CharField(_("full name in Latin letters"), max_length=150, blank=True)
    full_name_km = models.CharField(_("full name in Khmer"), max_length=150, blank=True)
    # A one-time code an administrator issued for setting a new password
    # (accounts.services.user_password_reset): only its keyed hash is kept, never the
    # code; it works once, until it expires.
    password_code_hash = models.CharField(max_length=64, blank=True, editable=False)
    password_code_expires_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="user_role_valid"
            ),
            # "Dara" and "dara" would be two people to the database and one to a reader.
            models.UniqueConstraint(Lower("username"), name="user_username_unique_ci"),
        ]

    @property
    def policy(self) -> RolePolicy:
        """Return the role's policy; an inactive user has none."""
        if not self.is_active:
            return RolePolicy(Scope.NONE, frozenset())
        return POLICIES[self.role]

    def has_role_perm(self, perm: Perm) -> bool:
        """Return True when the user's role grants the permission."""
        return perm in self.policy.perms

    def set_password(self, raw_password: str | None) -> None:
        """Set the password, and revoke the API tokens issued under the old one.

        Every way a password changes comes through here (allauth's change and reset,
        the admin, ``changepassword``, Komar's services), so no path can forget to end
        the tokens. Tokens also carry a fingerprint of the password they were issued
        under (``ApiToken.password_fingerprint``), which stops them even after a
        password written some other way.
        """
        super().set_password(raw_password)
        if self.pk is not None:
            from komar.accounts.security import api_tokens_revoke_all

            api_tokens_revoke_all(
                actor=None, user=self, reason=TokenRevocationReason.PASSWORD_CHANGED
            )

    def set_unusable_password(self) -> None:
        """Make the password unusable (a reset code replaces it), and revoke the API tokens."""
        super().set_unusable_password()
        if self.pk is not None:
            from komar.accounts.security import api_tokens_revoke_all

            api_tokens_revoke_all(
                actor=None, user=self, reason=TokenRevocationReason.PASSWORD_CHANGED
            )

    def name_in(self, language: str) -> str:
        """Return the person's name as a page in ``language`` shows it.

        Khmer pages prefer the Khmer name, other pages the Latin one; either falls back
        to the other name, then to the username.
        """
        names = (self.full_name_km, self.full_name)
        if not language.startswith("km"):
            names = names[::-1]
        return next((name for name in names if name), self.username)

    @property
    def display_name(self) -> str:
        """Return the person's name in the language of the current page."""
        return self.name_in(get_language() or "en")


class TokenRevocationReason(models.TextChoices):
    """Why API tokens stopped working before they expired (kept in the audit event)."""

    SIGNED_OUT = "signed_out", _("signed out")
    PASSWORD_CHANGED = "password_changed", _("password changed")
    DEACTIVATED = "deactivated", _("account deactivated")
    ADMINISTRATOR = "administrator", _("revoked by an administrator")


class ApiToken(models.Model):
    """A credential an API client got by signing in: valid until it expires or is revoked.

    Only the SHA-256 digest of the token is stored; the token itself is shown once, in
    the sign-in answer, so a copy of the database signs nobody in. Each sign-in gets its
    own token. ``password_fingerprint`` ties the token to the password it was issued
    under: once the password changes, the token no longer signs in.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    label = models.CharField(_("label"), max_length=100, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    expires = models.DateTimeField(_("expires"))
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    password_fingerprint = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires__gt=models.F("created")),
                name="api_token_expires_after_creation",
            )
        ]

    def __str__(self) -> str:
        return f"API token {self.pk} of user {self.user_id}"

    def is_valid(self, now: datetime) -> bool:
        """Return True when the token is neither revoked nor expired at ``now``."""
        return self.revoked_at is None and now < self.expires
