"""Compile locale/*/LC_MESSAGES/*.po into .mo files without GNU gettext, and check them.

`compile_translations` runs on every `make run`/`make test`, so the .mo files are always built
from the committed .po files (they are never committed themselves). With `--check` it fails when
an Arabic entry is missing, fuzzy or has broken placeholders, and, where xgettext is installed,
when the .po files are stale against the strings in the code."""

import os
import shutil
import tempfile
from pathlib import Path

from babel.messages import mofile, pofile
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

REQUIRED_COMPLETE = ["ar"]


class Command(BaseCommand):
    help = "Compile .po files to .mo with Babel; --check verifies completeness and freshness."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true")

    def handle(self, *args, check=False, **options):
        locale_dir = Path(settings.LOCALE_PATHS[0])
        problems = []
        for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
            language = po_path.parent.parent.name
            with po_path.open("rb") as handle:
                catalog = pofile.read_po(handle, locale=language)
            if check and language in REQUIRED_COMPLETE:
                problems += _completeness(catalog, po_path)
            with po_path.with_suffix(".mo").open("wb") as handle:
                mofile.write_mo(handle, catalog, use_fuzzy=False)
        if check:
            problems += _freshness(locale_dir)
            if problems:
                raise CommandError("Translations are not ready:\n  " + "\n  ".join(problems))
            self.stdout.write("Translations complete and up to date.")


def _completeness(catalog, po_path):
    problems = []
    for message in catalog:
        if not message.id:
            continue
        label = f"{po_path}: {message.id if isinstance(message.id, str) else message.id[0]!r}"
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if message.fuzzy:
            problems.append(f"{label} is fuzzy")
        elif not all(strings):
            problems.append(f"{label} is not translated")
        for error in message.check(catalog):
            problems.append(f"{label}: {error}")
    return problems


def _freshness(locale_dir: Path):
    """Re-extract the strings into a scratch copy and compare the sets of message ids."""
    if not shutil.which("xgettext"):
        return []
    problems = []
    with tempfile.TemporaryDirectory() as scratch:
        # makemessages writes next to the sources it scans, so scan a scratch copy of them.
        project = Path(scratch) / "project"
        shutil.copytree(
            settings.BASE_DIR,
            project,
            ignore=shutil.ignore_patterns(
                ".venv",
                "var",
                "staticfiles",
                ".git",
                "node_modules",
                "bench",
                "tests",
                "*.mo",
                "__pycache__",
                ".ruff_cache",
                ".pytest_cache",
            ),
        )
        scratch_locale = project / "locale"
        cwd = os.getcwd()
        os.chdir(project)
        try:
            with override_settings(LOCALE_PATHS=[str(scratch_locale)]):
                call_command(
                    "makemessages", locale=["ar"], no_location=True, no_obsolete=True, verbosity=0
                )
        finally:
            os.chdir(cwd)
        committed = _ids(locale_dir / "ar/LC_MESSAGES/django.po")
        extracted = _ids(scratch_locale / "ar/LC_MESSAGES/django.po")
        for missing in sorted(extracted - committed, key=_sort_key)[:20]:
            problems.append(
                f"string in the code missing from locale/ar: {missing!r} (run make messages)"
            )
        for stale in sorted(committed - extracted, key=_sort_key)[:20]:
            problems.append(
                f"string in locale/ar no longer in the code: {stale!r} (run make messages)"
            )
    return problems


def _ids(path: Path) -> set:
    with path.open("rb") as handle:
        catalog = pofile.read_po(handle)
    return {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in catalog if m.id}


def _sort_key(entry):
    msgid, context = entry
    return (msgid, context or "")
