"""Exceptions that services raise and every interface (page, API) answers the same way."""

from typing import Any


class ConfirmationRequired(Exception):
    """A write that the person must confirm, with a reason, before it happens.

    Nothing was written. ``code`` names the rule (``result_change_unconfirmed``,
    ``open_case_exists``); ``message`` says it in the user's language; ``details`` are
    safe to show the caller (ids of records the caller may see).
    """

    def __init__(self, *, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details
