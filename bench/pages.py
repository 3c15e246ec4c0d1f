"""The pages the benchmark measures. A feature adds its page with one line in PAGES:

    Page("cohort-detail", lambda ctx: reverse("cohorts:detail", args=[ctx.cohort.pk]), "mentor"),

`url` is a path, or a callable given the BenchContext (personas and anything seeded) that returns
one. `persona` names an entry of bench.fixture.PERSONAS; None requests the page signed out."""

from collections.abc import Callable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from django.urls import reverse


@dataclass
class BenchContext:
    """Handed to callable URLs: the persona accounts, and room for what later seeds look up."""

    personas: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    name: str
    url: str | Callable[[BenchContext], str]
    persona: str | None = None
    status: int = 200
    accept: str = "text/html"

    def path(self, context: BenchContext) -> str:
        return self.url(context) if callable(self.url) else self.url

    @property
    def persona_label(self) -> str:
        return self.persona or "anonymous"


JSON = "application/json"

# The bare view every page is compared with: the whole middleware stack, no work.
BARE = Page("bare", lambda ctx: reverse("core:ping"), None, accept="text/plain")

PAGES: list[Page] = [
    Page("home-anonymous", "/", None),
    Page("home-trainee", "/", "trainee"),
    Page("profile-trainee", lambda ctx: reverse("accounts:profile"), "trainee"),
    Page("people-manager", lambda ctx: reverse("accounts:people"), "manager"),
    Page("notifications-trainee", lambda ctx: reverse("notifications:inbox"), "trainee"),
    Page("api-people-manager", lambda ctx: reverse("api:person-list"), "manager", accept=JSON),
    Page("api-me-trainee", lambda ctx: reverse("api:me"), "trainee", accept=JSON),
    # The 1,000-trainee cohort of bench.fixture.seed_cohort.
    Page(
        "cohort-dashboard-manager",
        lambda ctx: reverse("cohorts:dashboard", args=[ctx.extra["cohort"].pk]),
        "manager",
    ),
    Page(
        "cohort-roll-call-manager",
        lambda ctx: reverse("cohorts:roll_call", args=[ctx.extra["roll_call_session"].pk]),
        "manager",
    ),
    # One trainee's page in that cohort (the trainee persona, a member of it), as the manager.
    Page(
        "cohort-trainee-manager",
        lambda ctx: reverse(
            "cohorts:dashboard_trainee",
            args=[ctx.extra["cohort"].pk, ctx.personas["trainee"].pk],
        ),
        "manager",
    ),
    Page(
        "cohort-home-trainee",
        lambda ctx: reverse("cohorts:detail", args=[ctx.extra["cohort"].pk]),
        "trainee",
    ),
    # The course catalogue of bench.fixture.seed_courses: the persona is in the fourth of eight
    # modules of the first course (modules in order), with progress in eight courses.
    Page("course-my-courses-trainee", lambda ctx: reverse("courses:mine"), "trainee"),
    Page(
        "course-outline-trainee",
        lambda ctx: reverse("courses:course", args=[ctx.extra["course"].pk]),
        "trainee",
    ),
    Page(
        "course-lesson-text-trainee",
        lambda ctx: reverse("courses:lesson", args=[ctx.extra["course_text_lesson"].pk]),
        "trainee",
    ),
    Page(
        "course-lesson-quiz-trainee",
        lambda ctx: reverse("courses:lesson", args=[ctx.extra["course_quiz_lesson"].pk]),
        "trainee",
    ),
    Page(
        "course-api-outline-trainee",
        lambda ctx: reverse("api:course-outline", args=[ctx.extra["course"].pk]),
        "trainee",
        accept=JSON,
    ),
    Page("course-review-queue-mentor", lambda ctx: reverse("courses:review_queue"), "mentor"),
]


def select(pages: list[Page], patterns: list[str] | None) -> list[Page]:
    """Pages whose name matches any of the shell-style patterns (all pages when none given)."""
    if not patterns:
        return list(pages)
    chosen = [page for page in pages if any(fnmatchcase(page.name, p) for p in patterns)]
    if not chosen:
        names = ", ".join(page.name for page in pages)
        raise SystemExit(f"no page matches {patterns}; pages are: {names}")
    return chosen
