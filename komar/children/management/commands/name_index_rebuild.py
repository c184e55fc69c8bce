"""Write every child's name index again under the current ``KOMAR_INDEX_KEY``."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from komar.children.name_index import (
    REBUILD_BATCH,
    index_keys,
    name_index_rebuild,
    name_vocabulary_reshuffle,
)
from komar.core.crypto import index_key_id


class Command(BaseCommand):
    help = (
        "Write every child's name digests again under the current KOMAR_INDEX_KEY, in "
        "batches, while Komar serves (searches also look under KOMAR_INDEX_KEY_PREVIOUS "
        "until it is removed). Children already indexed under the current key are "
        "skipped, so an interrupted run is finished by running it again. Each batch is "
        "audited."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=REBUILD_BATCH,
            help=f"Children per transaction (default {REBUILD_BATCH}).",
        )
        parser.add_argument(
            "--reshuffle-vocabulary",
            action="store_true",
            help="Also write the spelling vocabulary again in random order under new ids.",
        )

    def handle(self, *args, **options):
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            key_id = index_key_id()
            previous = index_keys()[1:]
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Rebuilding the name index under key {key_id}"
            + (
                f" (searches also use the previous key {index_key_id(previous[0])})."
                if previous
                else "."
            )
        )

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"  {done:,}/{total:,} children checked")

        try:
            result = name_index_rebuild(batch_size=options["batch_size"], progress=progress)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{result.children:,} children re-indexed in {result.batches:,} batches.")
        if options["reshuffle_vocabulary"]:
            count = name_vocabulary_reshuffle()
            self.stdout.write(f"Vocabulary written again in random order: {count:,} spellings.")
        if result.remaining:
            raise CommandError(
                f"{result.remaining:,} digests are still under another key (children changed "
                "by a server with the old key?): run the command again."
            )
        self.stdout.write(
            self.style.SUCCESS(
                "Done: every digest is under the current key. "
                "KOMAR_INDEX_KEY_PREVIOUS can now be removed."
            )
        )
