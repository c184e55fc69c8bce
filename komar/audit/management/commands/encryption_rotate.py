"""Re-encrypt every encrypted column under the first key of ``KOMAR_ENCRYPTION_KEYS``."""

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from komar.audit import events
from komar.core.rotation import ROTATE_BATCH, TableRotation, encryption_rotate


def _audit_batch(*, table: str, rows: int, columns: list[str]) -> None:
    # The system re-encrypts, not a person: no actor.
    events.keys_rotated(actor=None, table=table, rows=rows, columns=columns)


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column under the first key of KOMAR_ENCRYPTION_KEYS, "
        "in batches, while Komar serves. Values already under that key are skipped, so an "
        "interrupted run is finished by running it again. Each batch is audited."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=ROTATE_BATCH,
            help=f"Rows per transaction (default {ROTATE_BATCH}).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be re-encrypted; write nothing.",
        )
        parser.add_argument(
            "--model",
            action="append",
            default=[],
            help="Only this model (app_label.model_name); may be repeated.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        dry_run = options["dry_run"]

        def report(outcome: TableRotation) -> None:
            verb = "would re-encrypt" if dry_run else "re-encrypted"
            line = (
                f"{outcome.table}: {outcome.rows_read:,} rows read, {verb} "
                f"{outcome.values_rotated:,} values in {outcome.rows_rotated:,} rows"
            )
            if outcome.rows_changed_meanwhile:
                line += (
                    f" ({outcome.rows_changed_meanwhile:,} rows changed meanwhile, left as saved)"
                )
            self.stdout.write(line)

        try:
            results = encryption_rotate(
                audit=_audit_batch,
                batch_size=options["batch_size"],
                dry_run=dry_run,
                only=options["model"],
                progress=report,
            )
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if options["model"] and not results:
            raise CommandError("No model with encrypted columns matches --model.")
        total = sum(r.rows_rotated for r in results)
        if dry_run:
            self.stdout.write(f"Dry run: {total:,} rows would be re-encrypted. Nothing written.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Done: {total:,} rows re-encrypted."))
