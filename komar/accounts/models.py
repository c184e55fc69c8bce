from django.contrib.auth.models import AbstractUser
from django.db import models
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

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_valid")
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
