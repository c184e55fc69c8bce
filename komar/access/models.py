"""Grants: who may see which child and case beyond the record's own owners, and why."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class GrantReason(models.TextChoices):
    """Why a grant exists. Each P module adds its reasons here, never a scope clause."""

    CASE_ASSIGNMENT = "case_assignment", _("Case worker of a case of the child")
    REFERRAL = "referral", _("Referral accepted")
    PLACEMENT = "placement", _("Placement in a shelter")
    LEGAL_CASE = "legal_case", _("Lawyer of a legal case")


class GrantQuerySet(models.QuerySet["Grant"]):
    def active(self) -> "GrantQuerySet":
        return self.filter(ended_at__isnull=True)


class Grant(models.Model):
    """A reason for a user or an organisation to see a child (and one of its cases).

    A record's own owners (the organisation that holds it, the user who registered the
    child or is assigned the case, and their team) need no grant: the record's columns
    say so. A grant carries every other reason: the case worker of a case sees the
    child through it, a partner sees a referred child and case through one, a shelter
    its residents, a lawyer the victims of a legal case. Services write and end grants
    in the same transaction as the action that creates or ends the reason, with an
    audit event. A grant that needs the child's consent to disclosure stops working the
    moment that consent is withdrawn, whether or not it has been ended yet.
    """

    child = models.ForeignKey(
        "children.Child", on_delete=models.CASCADE, related_name="+", verbose_name=_("child")
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    holder_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    holder_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    reason = models.CharField(_("reason"), max_length=32, choices=GrantReason.choices)
    # The record that gave the grant (a referral, a placement ...), as "app.model:pk".
    source = models.CharField(_("source"), max_length=100, blank=True)
    needs_disclosure_consent = models.BooleanField(_("needs consent to disclosure"), default=False)
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_reason = models.CharField(_("why it ended"), max_length=64, blank=True)

    objects = GrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        indexes = [
            models.Index(
                fields=["child", "holder_user"],
                name="grant_child_user_idx",
                condition=models.Q(ended_at__isnull=True),
            ),
            models.Index(
                fields=["case", "holder_user"],
                name="grant_case_user_idx",
                condition=models.Q(ended_at__isnull=True),
            ),
            models.Index(
                fields=["holder_user", "child"],
                name="grant_user_child_idx",
                condition=models.Q(ended_at__isnull=True),
            ),
            models.Index(
                fields=["holder_organisation", "child"],
                name="grant_org_child_idx",
                condition=models.Q(ended_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reason__in=GrantReason.values), name="grant_reason_valid"
            ),
            models.CheckConstraint(
                # Exactly one holder: a user or an organisation.
                condition=(
                    models.Q(holder_user__isnull=False, holder_organisation__isnull=True)
                    | models.Q(holder_user__isnull=True, holder_organisation__isnull=False)
                ),
                name="grant_one_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"grant {self.pk} ({self.reason})"
