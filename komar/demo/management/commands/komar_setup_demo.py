import os

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from komar.demo.services import DEMO_PASSWORD, demo_setup


class Command(BaseCommand):
    help = (
        "Set up the demo: organisations, teams, one account per role, the gazetteer and "
        "synthetic children. Idempotent; refused in production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--children", type=int, default=300, help="Synthetic children (default 300)."
        )
        parser.add_argument("--seed", type=int, default=7, help="Random seed (default 7).")

    def handle(self, *args, **options):
        try:
            result = demo_setup(children=options["children"], seed=options["seed"])
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        created = result["created"]
        if result["gazetteer_loaded"]:
            self.stdout.write("Gazetteer loaded.")
        self.stdout.write(
            f"Created {created['organisations']} organisations, {created['teams']} teams, "
            f"{created['users']} accounts and {created['children']} synthetic children."
        )
        rows = [
            (a["username"], a["role"], a["organisation"], a["team"] or "")
            for a in result["accounts"]
        ]
        header = ("username", "role", "organisation", "team")
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        line = "  ".join(f"{{:<{w}}}" for w in widths)
        self.stdout.write("")
        self.stdout.write(line.format(*header).rstrip())
        self.stdout.write(line.format(*("-" * w for w in widths)))
        for row in rows:
            self.stdout.write(line.format(*row).rstrip())
        self.stdout.write("")
        self.stdout.write(f"Password for every demo account: {DEMO_PASSWORD}")
        port = os.environ.get("PORT", "8000")
        self.stdout.write(self.style.SUCCESS(f"Open http://127.0.0.1:{port}"))
