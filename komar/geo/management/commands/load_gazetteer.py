from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from komar.geo.services import DATA_DIR, GazetteerError, gazetteer_load


class Command(BaseCommand):
    help = "Load (or refresh) Cambodia's provinces, districts, communes and villages."

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=DATA_DIR,
            help="Folder holding provinces.yml, districts.yml, communes.yml and villages.yml.",
        )

    def handle(self, *args, **options):
        try:
            counts = gazetteer_load(data_dir=options["data_dir"])
        except (GazetteerError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        for level, count in counts.items():
            self.stdout.write(f"{level}: {count}")
        self.stdout.write(self.style.SUCCESS("Gazetteer loaded."))
