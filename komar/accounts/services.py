"""Writes of user accounts: creation, changes, deactivation, sign-in help.

The actor is the signed-in administrator; the subject is the account they manage.
Each service checks that the actor's role may manage users and that the account is in
their reach (:func:`komar.accounts.selectors.users_in_reach_of`), validates every value
before writing anything, and writes the account and its audit event in one
transaction. The web pages and the API call these same functions.
"""

import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any, Final, Literal

from allauth.mfa.models import Authenticator
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.contrib.sessions.models import Session
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from komar.accounts.models import Organisation, Team, TokenRevocationReason, User
from komar.accounts.roles import Perm, Role
from komar.accounts.security import api_tokens_revoke_all
from komar.accounts.selectors import organisations_managed_by, user_in_reach
from komar.audit import events
from komar.core.khmer import ascii_digits, has_khmer, normalize_khmer

NAME_MAX = 150
USERNAME_MAX = 150
LANGUAGES = ("", "en", "km")

# One-time password codes: read aloud or copied from paper, so no look-alike characters
# (0/O, 1/I/L). 12 characters of 31 are about 59 bits: not guessable within a lockout.
RESET_CODE_ALPHABET: Final = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RESET_CODE_LENGTH: Final = 12
RESET_CODE_GROUP: Final = 4
DEFAULT_RESET_CODE_HOURS: Final = 24
_CODE_SALT: Final = "komar.accounts.password_code"
# The code of the validation error of a wrong, expired or used code: the page counts it
# as a failed sign-in.
INVALID_CODE: Final = "invalid_code"


class _Unset(Enum):
    UNSET = "unset"


UNSET: Final = _Unset.UNSET
"""Marks an argument of :func:`user_update` that was not given (``None`` means "no team")."""


@dataclass(frozen=True)
class IssuedPasswordCode:
    """A one-time code to hand over in person; it is shown once and never stored."""

    code: str
    expires_at: datetime


# Messages by field; a message may be a ValidationError that carries its own code.
Errors = dict[str, list[Any]]


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _require_manager(actor: User, user: User | None = None) -> None:
    """Refuse (PermissionDenied) unless ``actor`` may manage users, and ``user`` if given."""
    if not actor.has_role_perm(Perm.USERS_MANAGE) or actor.organisation_id is None:
        raise PermissionDenied
    if user is not None and not user_in_reach(actor=actor, user=user):
        raise PermissionDenied


def password_code_hours() -> int:
    """Return how many hours a one-time password code stays valid."""
    return int(getattr(settings, "KOMAR_PASSWORD_CODE_HOURS", DEFAULT_RESET_CODE_HOURS))


def _code_digest(user: User, code: str) -> str:
    # Keyed with SECRET_KEY and bound to the account: a database reader cannot test
    # guesses offline, nor move a digest to another account.
    return salted_hmac(_CODE_SALT, f"{user.pk}:{code}", algorithm="sha256").hexdigest()


def normalize_password_code(code: str) -> str:
    """Return a typed code in its canonical form: upper case, no spaces or dashes."""
    code = ascii_digits(unicodedata.normalize("NFKC", code or "")).upper()
    return "".join(ch for ch in code if ch not in " -\u200b\t")


def _clean_username(value: str, errors: Errors, *, current: User | None = None) -> str:
    username = User.normalize_username(ascii_digits(normalize_khmer(value or "")))
    if not username:
        _add(errors, "username", _("Give a username."))
        return username
    if len(username) > USERNAME_MAX:
        _add(
            errors,
            "username",
            _("Use at most %(max)d characters (it has %(n)d).")
            % {"max": USERNAME_MAX, "n": len(username)},
        )
        return username
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError as error:
        errors.setdefault("username", []).extend(str(m) for m in error.messages)
        return username
    taken = User.objects.filter(username__iexact=username)
    if current is not None:
        taken = taken.exclude(pk=current.pk)
    if taken.exists():
        _add(errors, "username", _("This username is taken (letter case does not count)."))
    return username


def _clean_name(value: str | None, field: str, errors: Errors, *, khmer: bool) -> str:
    name = " ".join(normalize_khmer(value or "").split())
    if any(unicodedata.category(ch) == "Cc" for ch in value or ""):
        _add(errors, field, _("Remove the control characters."))
    if len(name) > NAME_MAX:
        _add(
            errors,
            field,
            _("Use at most %(max)d characters (it has %(n)d).") % {"max": NAME_MAX, "n": len(name)},
        )
    if name and khmer and not has_khmer(name):
        _add(errors, field, _("Write this name in Khmer script."))
    return name


def _clean_role(value: str, errors: Errors) -> str:
    if value not in Role.values:
        _add(errors, "role", _("Choose one of the listed roles."))
    return value


def _clean_language(value: str, errors: Errors) -> str:
    if value not in LANGUAGES:
        _add(errors, "preferred_language", _("Choose one of the listed languages."))
    return value


def _clean_team(
    team_id: int | None, organisation: Organisation | None, errors: Errors
) -> Team | None:
    if team_id is None:
        return None
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        _add(errors, "team", _("Choose a team from the list."))
    elif organisation is not None and team.organisation_id != organisation.pk:
        _add(errors, "team", _("Choose a team of the user's own organisation."))
    return team


def _save(user: User) -> None:
    """Validate and save ``user``; a username taken meanwhile is an input error."""
    user.full_clean()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ValidationError(
            {"username": [_("This username is taken (letter case does not count).")]}
        ) from None


def _end_sessions(user: User) -> int:
    """Sign ``user`` out everywhere: delete their open sessions; return how many."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    role: str,
    organisation_id: int | None = None,
    team_id: int | None = None,
    full_name: str = "",
    full_name_km: str = "",
    preferred_language: str = "",
    is_active: bool = True,
) -> User:
    """Create an account for a person of an organisation ``actor`` manages.

    The account has no usable password: the administrator then issues a one-time code
    (:func:`user_password_reset`) for the person to set their own. The organisation is
    the actor's own unless another one they manage is named.
    """
    _require_manager(actor)
    errors: Errors = {}
    clean_username = _clean_username(username, errors)
    organisation: Organisation | None = actor.organisation
    if organisation_id is not None and organisation_id != actor.organisation_id:
        organisation = organisations_managed_by(actor).filter(pk=organisation_id).first()
        if organisation is None:
            _add(errors, "organisation", _("Choose an organisation whose users you manage."))
    return _create(
        actor=actor,
        errors=errors,
        username=clean_username,
        organisation=organisation,
        role=role,
        team_id=team_id,
        full_name=full_name,
        full_name_km=full_name_km,
        preferred_language=preferred_language,
        is_active=is_active,
    )


def _create(
    *,
    actor: User | None,
    errors: Errors,
    username: str,
    organisation: Organisation | None,
    role: str,
    team_id: int | None,
    full_name: str,
    full_name_km: str,
    preferred_language: str,
    is_active: bool,
) -> User:
    """Validate the remaining values, then create the account and audit it."""
    if organisation is None:
        if "organisation" not in errors:
            _add(errors, "organisation", _("Choose an organisation."))
    elif not organisation.is_active:
        _add(errors, "organisation", _("This organisation is no longer active."))
    user = User(
        username=username,
        role=_clean_role(role, errors),
        organisation=organisation,
        team=_clean_team(team_id, organisation, errors),
        full_name=_clean_name(full_name, "full_name", errors, khmer=False),
        full_name_km=_clean_name(full_name_km, "full_name_km", errors, khmer=True),
        preferred_language=_clean_language(preferred_language, errors),
        is_active=bool(is_active),
    )
    if errors:
        raise ValidationError(errors)
    user.set_unusable_password()
    _save(user)
    events.user_created(actor=actor, user=user)
    return user


@transaction.atomic
def administrator_create_first(
    *, organisation: Organisation, username: str
) -> tuple[User, IssuedPasswordCode]:
    """Create an administrator of ``organisation`` for a person with server access,
    and a one-time code for them to set their password.

    For the first administrator of an organisation, made on the command line
    (``manage.py komar_create_administrator``): the system is the actor, and both the
    creation and the code are audited as such.
    """
    errors: Errors = {}
    user = _create(
        actor=None,
        errors=errors,
        username=_clean_username(username, errors),
        organisation=organisation,
        role=Role.ADMINISTRATOR,
        team_id=None,
        full_name="",
        full_name_km="",
        preferred_language="",
        is_active=True,
    )
    return user, _issue_code(actor=None, user=user)


ACCESS_FIELDS = ("role", "team")
PROFILE_FIELDS = ("full_name", "full_name_km", "preferred_language")


def _snapshot(user: User) -> dict[str, Any]:
    return {
        "role": user.role,
        "team": user.team_id,
        "full_name": user.full_name,
        "full_name_km": user.full_name_km,
        "preferred_language": user.preferred_language,
        "is_active": user.is_active,
    }


def _set_active(*, actor: User, user: User, active: bool) -> None:
    """Switch the account on or off, audited; switching off signs the person out."""
    user.is_active = active
    _save(user)
    if not active:
        _end_sessions(user)
        api_tokens_revoke_all(actor=actor, user=user, reason=TokenRevocationReason.DEACTIVATED)
    events.user_active_changed(actor=actor, user=user, active=active)


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    role: str | None = None,
    team_id: int | None | Literal[_Unset.UNSET] = UNSET,
    full_name: str | None = None,
    full_name_km: str | None = None,
    preferred_language: str | None = None,
    is_active: bool | None = None,
) -> User:
    """Change an account ``actor`` manages: only the values given change.

    A change of role or team changes what the person may see and is audited as such;
    a change of names or language is audited as an account change; switching the
    account off or on as a deactivation or reactivation. Nobody changes their own role
    or switches their own account off.
    """
    _require_manager(actor, user)
    errors: Errors = {}
    before = _snapshot(user)
    if role is not None:
        user.role = _clean_role(role, errors)
        if user.pk == actor.pk and user.role != before["role"]:
            _add(errors, "role", _("You cannot change your own role. Ask another administrator."))
    if team_id is not UNSET:
        user.team = _clean_team(team_id, user.organisation, errors)
    if full_name is not None:
        user.full_name = _clean_name(full_name, "full_name", errors, khmer=False)
    if full_name_km is not None:
        user.full_name_km = _clean_name(full_name_km, "full_name_km", errors, khmer=True)
    if preferred_language is not None:
        user.preferred_language = _clean_language(preferred_language, errors)
    if is_active is not None and not is_active and user.pk == actor.pk:
        _add(errors, "is_active", _("You cannot deactivate your own account."))
    if errors:
        user.refresh_from_db()
        raise ValidationError(errors)
    after = _snapshot(user)
    access = events.field_changes(
        User,
        {k: before[k] for k in ACCESS_FIELDS},
        {k: after[k] for k in ACCESS_FIELDS},
    )
    # Names are kept out of the trail: only that they changed.
    profile = {
        name: {"changed": True}
        if name != "preferred_language"
        else {"old": before[name], "new": after[name]}
        for name in PROFILE_FIELDS
        if before[name] != after[name]
    }
    if access or profile:
        _save(user)
        events.role_changed(actor=actor, user=user, changes=access)
        events.user_changed(actor=actor, user=user, changes=profile)
    if is_active is not None and bool(is_active) != before["is_active"]:
        _set_active(actor=actor, user=user, active=bool(is_active))
    return user


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool) -> User:
    """Deactivate or reactivate an account ``actor`` manages.

    A deactivated person is signed out at once and cannot sign in; their records and
    history stay. Nobody deactivates their own account. Asking for the state the
    account already has changes nothing and writes no event.
    """
    _require_manager(actor, user)
    if not active and user.pk == actor.pk:
        raise ValidationError({"is_active": [_("You cannot deactivate your own account.")]})
    if user.is_active != active:
        _set_active(actor=actor, user=user, active=active)
    return user


@transaction.atomic
def user_password_reset(*, actor: User, user: User) -> IssuedPasswordCode:
    """Issue a one-time code with which the person sets a new password.

    The code is returned once, for the administrator to hand over in person; only its
    keyed hash is kept, and it works once, for ``KOMAR_PASSWORD_CODE_HOURS`` (24). The
    current password stops working at once and the person is signed out, so a reset
    also shuts out whoever may know the old password. A new code replaces an older one.
    """
    _require_manager(actor, user)
    if user.pk == actor.pk:
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("Change your own password from your account menu.")]}
        )
    if not user.is_active:
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("Reactivate this account first: it cannot sign in.")]}
        )
    return _issue_code(actor=actor, user=user)


def _issue_code(*, actor: User | None, user: User) -> IssuedPasswordCode:
    """Give ``user`` a new one-time code in place of their password, audited."""
    raw = "".join(secrets.choice(RESET_CODE_ALPHABET) for _i in range(RESET_CODE_LENGTH))
    expires_at = timezone.now() + timedelta(hours=password_code_hours())
    user.set_unusable_password()
    user.password_code_hash = _code_digest(user, raw)
    user.password_code_expires_at = expires_at
    _save(user)
    _end_sessions(user)
    events.password_reset(actor=actor, user=user)
    shown = "-".join(
        raw[i : i + RESET_CODE_GROUP] for i in range(0, RESET_CODE_LENGTH, RESET_CODE_GROUP)
    )
    return IssuedPasswordCode(code=shown, expires_at=expires_at)


def _invalid_code() -> ValidationError:
    # One message for an unknown username and a wrong, expired or used code: the page
    # must not tell which accounts exist.
    return ValidationError(
        _("This code does not work for this username: it is wrong, used or expired."),
        code=INVALID_CODE,
    )


@transaction.atomic
def user_password_set_with_code(
    *, username: str, code: str, new_password1: str, new_password2: str
) -> User:
    """Set a new password for the person who holds a one-time code.

    The person is not signed in: the username and the code prove who they are. The
    password must pass Django's password validators. The code then no longer works.
    The caller counts a wrong code (error code ``invalid_code`` on ``code``) as a
    failed sign-in.
    """
    errors: Errors = {}
    typed_username = User.normalize_username(ascii_digits(normalize_khmer(username or "")))
    typed_code = normalize_password_code(code)
    user = (
        User.objects.select_for_update().filter(username__iexact=typed_username).first()
        if typed_username
        else None
    )
    code_ok = (
        user is not None
        and user.is_active
        and bool(user.password_code_hash)
        and user.password_code_expires_at is not None
        and user.password_code_expires_at > timezone.now()
        and constant_time_compare(user.password_code_hash, _code_digest(user, typed_code))
    )
    if not typed_username:
        _add(errors, "username", _("Give your username."))
    if not typed_code:
        _add(errors, "code", _("Give the code your administrator handed you."))
    elif typed_username and not code_ok:
        errors["code"] = [_invalid_code()]
    if not new_password1:
        _add(errors, "new_password1", _("Choose a new password."))
    elif new_password1 != new_password2:
        _add(errors, "new_password2", _("The two passwords differ. Type the same one twice."))
    else:
        # Checked against the account named, or a stand-in with that username, so the
        # answer is the same whether the account exists or not.
        subject = user if user is not None else User(username=typed_username)
        try:
            password_validation.validate_password(new_password1, subject)
        except ValidationError as error:
            errors.setdefault("new_password1", []).extend(str(m) for m in error.messages)
    if errors or user is None:
        raise ValidationError(errors)
    user.set_password(new_password1)
    user.password_code_hash = ""
    user.password_code_expires_at = None
    _save(user)
    events.user_changed(actor=user, user=user, changes={"password": {"changed": True}})
    return user


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> int:
    """Lift the sign-in lockout of an account ``actor`` manages; return how many
    locked or counted addresses were cleared.

    django-axes counts failed sign-ins per account and address; every count of this
    account, from any address and in any letter case of its username, is cleared.
    """
    _require_manager(actor, user)
    attempts = AccessAttempt.objects.filter(username__iexact=user.username)
    if not attempts.exists():
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("This account is not locked: there is nothing to unlock.")]}
        )
    cleared = int(attempts.count())
    attempts.delete()
    events.user_unlocked(actor=actor, user=user)
    return cleared


@transaction.atomic
def user_two_factor_reset(*, actor: User, user: User) -> int:
    """Remove the second factor of an account ``actor`` manages (a lost phone); return
    how many authenticators were removed.

    The person signs in with their password and, where their role needs it, is asked
    to enrol a new authenticator app. Nobody removes their own second factor here:
    their own two-factor page asks for the password first.
    """
    _require_manager(actor, user)
    if user.pk == actor.pk:
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("Manage your own second factor from your account menu.")]}
        )
    authenticators = Authenticator.objects.filter(user=user)
    if not authenticators.exists():
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("This user has not set up two-factor authentication.")]}
        )
    removed = int(authenticators.count())
    authenticators.delete()
    events.two_factor_reset(actor=actor, user=user)
    return removed


def user_language_remember(*, user: User, language: str) -> bool:
    """Remember the page language a signed-in user chose; return True if it changed.

    The choice lives on the account, not only in a cookie, so the next person at a shared
    office computer does not inherit it. An unknown language changes nothing.
    """
    if language not in {code for code, _name in settings.LANGUAGES}:
        return False
    if user.preferred_language == language:
        return False
    User.objects.filter(pk=user.pk).update(preferred_language=language)
    user.preferred_language = language
    return True


def user_language_for_sign_in(user: User) -> str | None:
    """Return the language to switch to when the user signs in, or None to keep the page's."""
    language = user.preferred_language
    if language in {code for code, _name in settings.LANGUAGES}:
        return language
    return None
