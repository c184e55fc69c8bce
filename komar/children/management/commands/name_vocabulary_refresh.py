"""Add pending spellings to the name vocabulary in one shuffled batch with decoys."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from komar.children.name_index import (
    MIN_REGISTRATIONS,
    name_vocabulary_refresh,
    name_vocabulary_seed,
)


class Command(BaseCommand):
    help = (
        "Add the spellings waiting from recent registrations to the search vocabulary, in "
        "one shuffled batch mixed with decoys, once enough registrations have gathered. "
        "Run it from cron or a periodic job; registrations also run it after they commit."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-registrations",
            type=int,
            default=MIN_REGISTRATIONS,
            help=(
                "Add nothing until this many registrations have spellings waiting "
                f"(default {MIN_REGISTRATIONS}). Lower it only to flush a quiet week: "
                "a batch of few registrations tells more about them."
            ),
        )
        parser.add_argument(
            "--seed",
            action="store_true",
            help="Also add the public list of common names (once, after installing).",
        )

    def handle(self, *args, **options):
        if options["min_registrations"] < 1:
            raise CommandError("--min-registrations must be at least 1.")
        if options["seed"]:
            self.stdout.write(f"Common names added: {name_vocabulary_seed():,}.")
        try:
            batch = name_vocabulary_refresh(min_registrations=options["min_registrations"])
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if batch.added or batch.decoys:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Added {batch.added:,} spellings of {batch.registrations:,} registrations "
                    f"with {batch.decoys:,} decoys."
                )
            )
        else:
            self.stdout.write(
                f"Nothing added: {batch.registrations:,} registrations waiting "
                f"(at least {options['min_registrations']:,} needed)."
            )
