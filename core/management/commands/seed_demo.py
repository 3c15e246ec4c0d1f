"""Load the demo data, idempotently: running it twice changes nothing the second time.

Each app contributes its own data in `<app>/demo.py` with a `seed(*, stdout)` function; they run
in INSTALLED_APPS order, which is the apps' dependency order."""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create or refresh the demo accounts and content (safe to run repeatedly)."

    def handle(self, *args, **options):
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
