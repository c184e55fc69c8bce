"""Where the current request comes from, for the audit trail.

The middleware stores the client address and channel for the length of a request; the
audit helpers read them, so services need not thread the request through every call.
"""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestOrigin:
    ip: str | None = None
    channel: str = "system"  # a Channel value: "web", "api" or "system" (commands, jobs)


_origin: ContextVar[RequestOrigin] = ContextVar("audit_origin", default=RequestOrigin())  # noqa: B039  (frozen dataclass: immutable)


def current_origin() -> RequestOrigin:
    """Return where the current action comes from."""
    return _origin.get()


def set_origin(origin: RequestOrigin) -> object:
    """Set the origin for the current context; return a token to reset it."""
    return _origin.set(origin)


def reset_origin(token: object) -> None:
    _origin.reset(token)  # type: ignore[arg-type]
