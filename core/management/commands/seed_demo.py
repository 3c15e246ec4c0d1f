"""Load the demo data, idempotently: running it twice changes nothing the second time.

Each app contributes its own data in `<app>/demo.py` with a `seed(*, stdout)` function; they run
in INSTALLED_APPS order, which is the apps' dependency order."""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Create or refresh the demo accounts and content (safe to run repeatedly)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load the demo even with DEBUG off (its accounts share a published password).",
        )

    def handle(self, *args, allow_production=False, **options):
        local = settings.DEBUG or getattr(settings, "DEMO", False)
        if not local and not allow_production and not getattr(settings, "TESTING", False):
            raise CommandError(
                "The demo accounts share a published password; refusing to create them with "
                "DEBUG off. Pass --allow-production for a throw-away demo server."
            )
        with transaction.atomic():
            for config in apps.get_app_configs():
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
