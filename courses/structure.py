"""The structure of courses as the progress rule reads it (their modules in order, each module's
lessons in order without their long texts, every lesson's prerequisites), kept in the
configured cache per course so that a trainee's outline, lesson page or home page reads only the
trainee's own facts from the database.

One version covers the structure of every course: any change to a module, a lesson or a
prerequisite, wherever it is made (the authoring services, the admin, the shell), moves it on
through the model signals below, so the next page reads the structure again. Writers that go
around the signals (`QuerySet.update()`, `bulk_create`) call `changed()` themselves: the demo
and the bench fixture do. Authoring is rare and the structure small, so one version is enough,
and a receiver needs no query to find which course a row belongs to (a lesson moved to another
course changes both).

The version moves at once and again after the transaction commits: a page reading the
structure in between may see it as it was and store it under the new version, which the second
move leaves behind. A transaction that changed the structure never stores what it reads (it
could be rolled back); an entry is used only for the very course it was read for (its creation
time, as a rolled-back test database hands the same id to another course), and kept for a
while only (`TTL`). A cache that cannot be reached costs the queries, never the page."""

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from core.cache_versions import current_version, move_version

from .models import Lesson, Module

logger = logging.getLogger(__name__)

# Part of every key: changing what is stored changes this, and old entries are ignored.
SCHEMA = 1
TTL = 6 * 60 * 60
VERSION_KEY = f"courses:structure:{SCHEMA}:version"
# Large text fields are not needed to decide progress; pages that show content load it apart.
HEAVY_FIELDS = ("body", "body_en", "transcript", "transcript_en")
# On a database connection: whether its current transaction changed the structure.
_PENDING = "_courses_structure_changed"


@dataclass
class Structure:
    modules: list = field(default_factory=list)  # Module, in order
    lessons: dict = field(default_factory=dict)  # {module id: [Lesson, in order]}
    prerequisites: dict = field(default_factory=dict)  # {lesson id: [lesson id]}


def _entry_key(course_id: int) -> str:
    return f"courses:structure:{SCHEMA}:course:{course_id}"


def _identity(course):
    created = course.__dict__.get("created_at")  # never a query for a field left unread
    return None if created is None else created.isoformat()


def load(course_ids) -> dict[int, Structure]:
    """Three queries: the structure of these courses from the database."""
    found = {course_id: Structure() for course_id in course_ids}
    modules = Module.objects.filter(course_id__in=list(found)).order_by(
        "course_id", "position", "id"
    )
    module_course = {}
    for module in modules:
        found[module.course_id].modules.append(module)
        found[module.course_id].lessons[module.pk] = []
        module_course[module.pk] = module.course_id
    if not module_course:
        return found
    lessons = (
        Lesson.objects.filter(module_id__in=list(module_course))
        .defer(*HEAVY_FIELDS)
        .order_by("module_id", "position", "id")
    )
    lesson_course = {}
    for lesson in lessons:
        course_id = module_course[lesson.module_id]
        found[course_id].lessons[lesson.module_id].append(lesson)
        lesson_course[lesson.pk] = course_id
    prerequisites = defaultdict(list)
    through = Lesson.prerequisites.through
    for from_id, to_id in through.objects.filter(
        from_lesson_id__in=list(lesson_course)
    ).values_list("from_lesson_id", "to_lesson_id"):
        prerequisites[from_id].append(to_id)
    for lesson_id, course_id in lesson_course.items():
        if lesson_id in prerequisites:
            found[course_id].prerequisites[lesson_id] = prerequisites[lesson_id]
    return found


def structures(courses, *, using: str = DEFAULT_DB_ALIAS) -> dict[int, Structure]:
    """{course id: Structure} of these courses (Course instances): from the cache where it holds
    them for the current version, else from the database (and then stored)."""
    courses = list(courses)
    if not courses:
        return {}
    connection = connections[using]
    if not connection.in_atomic_block:
        connection.__dict__.pop(_PENDING, None)  # that transaction is over, however it ended
    keys = {course.pk: _entry_key(course.pk) for course in courses}
    try:
        found = cache.get_many([VERSION_KEY, *keys.values()])
        version = current_version(VERSION_KEY, found)
    except Exception:
        logger.exception("Could not read the courses' structure from the cache")
        return load(keys)
    result, missing = {}, []
    for course in courses:
        stored = found.get(keys[course.pk])
        if (
            isinstance(stored, tuple)
            and len(stored) == 3
            and stored[:2] == (version, _identity(course))
            and stored[1] is not None
        ):
            result[course.pk] = stored[2]
        else:
            missing.append(course)
    if missing:
        # Read after the version: if it moves on meanwhile, this is stored under the old one.
        loaded = load([course.pk for course in missing])
        result.update(loaded)
        if not connection.__dict__.get(_PENDING):
            entries = {
                keys[course.pk]: (version, _identity(course), loaded[course.pk])
                for course in missing
                if _identity(course) is not None
            }
            try:
                cache.set_many(entries, timeout=TTL)
            except Exception:
                logger.exception("Could not store the courses' structure")
    return result


def _move() -> None:
    try:
        move_version(VERSION_KEY)
    except Exception:
        logger.exception("Could not move the courses' structure version on")


def changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """The structure of some course changed (or may have): the next page reads it again."""
    _move()
    connection = connections[using]
    if connection.in_atomic_block:
        connection.__dict__[_PENDING] = True
        transaction.on_commit(_move, using=using)


def structure_changed(sender, using=DEFAULT_DB_ALIAS, raw=False, **kwargs) -> None:
    """Receiver of post_save/post_delete of Module and Lesson and m2m_changed of the
    prerequisites (connected in CoursesConfig.ready())."""
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed: after the change only
    changed(using=using)
