"""Audit of reads that change nothing else: a list or a search request."""

from collections.abc import Mapping
from typing import Any

from django.db import models, transaction

from komar.accounts.models import User
from komar.audit import events


def audit_list(
    *, actor: User, model: type[models.Model], filters: Mapping[str, Any], count: int
) -> None:
    """Write one event for a list or search request: its filters and result count.

    A read has no transaction of its own to join, so the event gets one. Free-text
    queries (names, phones, numbers) are kept only as "given" (``events.safe_filters``).
    """
    with transaction.atomic():
        events.list_or_search(actor=actor, model=model, filters=filters, count=count)
