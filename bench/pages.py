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
    # The floor of every signed-in page: the bare view with a trainee's session (the middleware
    # then reads the session and the person's row, as for any signed-in request).
    Page("bare-trainee", lambda ctx: reverse("core:ping"), "trainee", accept="text/plain"),
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


def _url(name, key=None, attr="pk"):
    """A URL of `name` with the pk (or `attr`) of ctx.extra[key] as its one argument."""
    if key is None:
        return lambda ctx: reverse(name)
    return lambda ctx: reverse(name, args=[getattr(ctx.extra[key], attr)])


# Mentoring, proposals and certificates on the bench cohort (bench/programme.py: 40 mentors,
# every trainee's intake, a published round and a draft one, 300 proposals with 3 reviews each,
# 300 certificates). The verify page is public: compare it with the bare view directly.
PAGES += [
    Page("mentoring-round-manager", _url("mentoring:round", "cohort"), "manager"),
    Page("mentoring-load-manager", _url("mentoring:load", "cohort"), "manager"),
    Page("mentoring-mentees-mentor", _url("mentoring:my_mentees"), "mentor"),
    Page("mentoring-my-mentor-trainee", _url("mentoring:my_mentor"), "trainee"),
    Page("mentoring-mentorship-mentor", _url("mentoring:mentorship", "mentorship"), "mentor"),
    Page("mentoring-profile-mentor", _url("mentoring:profile"), "mentor"),
    Page("mentoring-intake-trainee", _url("mentoring:intake", "intake_membership"), "trainee"),
    Page("mentoring-api-mentorships-mentor", _url("api:mentorship-list"), "mentor", accept=JSON),
    Page("mentoring-api-meetings-mentor", _url("api:meeting-list"), "mentor", accept=JSON),
    Page("mentoring-api-goals-mentor", _url("api:goal-list"), "mentor", accept=JSON),
    Page("mentoring-api-rounds-manager", _url("api:match-round-list"), "manager", accept=JSON),
    Page("proposals-mine-trainee", _url("proposals:mine"), "trainee"),
    Page("proposals-showcase-anonymous", _url("proposals:showcase"), None),
    Page(
        "proposals-showcase-item-anonymous",
        _url("proposals:showcase_item", "showcased_proposal"),
        None,
    ),
    Page("proposals-detail-trainee", _url("proposals:detail", "proposal"), "trainee"),
    Page("proposals-compare-trainee", _url("proposals:compare", "proposal"), "trainee"),
    Page(
        "proposals-implementation-trainee",
        _url("proposals:implementation", "proposal"),
        "trainee",
    ),
    Page("proposals-queue-mentor", _url("proposals:queue"), "mentor"),
    Page("proposals-review-mentor", _url("proposals:review", "review_assignment"), "mentor"),
    Page("proposals-manage-manager", _url("proposals:manage", "cohort"), "manager"),
    Page("proposals-rubric-manager", _url("proposals:rubric", "cohort"), "manager"),
    Page("proposals-decide-manager", _url("proposals:decide", "proposal_in_review"), "manager"),
    Page("proposals-api-list-manager", _url("api:proposal-list"), "manager", accept=JSON),
    Page(
        "certificates-verify-anonymous",
        _url("certificates:verify", "certificate", "code"),
        None,
    ),
    Page(
        "certificates-verify-json-anonymous",
        _url("certificates:verify_json", "certificate", "code"),
        None,
        accept=JSON,
    ),
    Page("certificates-issuer-anonymous", _url("certificates:issuer"), None, accept=JSON),
    Page("certificates-mine-trainee", _url("certificates:mine"), "trainee"),
    Page(
        "certificates-download-trainee",
        _url("certificates:download", "certificate"),
        "trainee",
        accept="application/pdf",
    ),
    Page(
        "certificates-badge-trainee",
        _url("certificates:badge", "certificate"),
        "trainee",
        accept="*/*",
    ),
    Page("certificates-manage-manager", _url("certificates:manage", "cohort"), "manager"),
    Page(
        "certificates-progress-manager",
        lambda ctx: reverse("certificates:progress", args=[ctx.extra["cohort"].pk]),
        "manager",
        accept=JSON,
    ),
    Page(
        "certificates-api-list-manager",
        lambda ctx: (
            reverse("certificates_api:certificate-list") + f"?cohort={ctx.extra['cohort'].pk}"
        ),
        "manager",
        accept=JSON,
    ),
    Page(
        "certificates-api-eligibility-manager",
        lambda ctx: (
            reverse("certificates_api:certificate-eligibility")
            + f"?cohort={ctx.extra['cohort'].pk}"
        ),
        "manager",
        accept=JSON,
    ),
]


# The cohort's reminder log (three deliveries per trainee of the bench cohort) and the
# notification settings page.
PAGES += [
    Page("cohort-reminder-log-manager", _url("cohorts:reminder_log", "cohort"), "manager"),
    Page("notifications-preferences-trainee", _url("notifications:preferences"), "trainee"),
]


# The scale rows (bench/fixture_scale.py): the same pages at other sizes. SCALE says which pages
# make one row of the scale table, in order of size (the main pages are the middle sizes).
_outline = _url("courses:course", "scale_course")
PAGES += [
    Page("scale-home-1-course", "/", "trainee_1course"),
    Page("scale-home-20-courses", "/", "trainee_20courses"),
    Page("scale-outline-1-course", _outline, "trainee_1course"),
    Page("scale-outline-20-courses", _outline, "trainee_20courses"),
    Page(
        "scale-dashboard-100",
        _url("cohorts:dashboard", "scale_dashboard_100_cohort"),
        "scale_manager",
    ),
    Page(
        "scale-dashboard-1000",
        _url("cohorts:dashboard", "scale_dashboard_1000_cohort"),
        "scale_manager",
    ),
    Page(
        "scale-dashboard-5000",
        _url("cohorts:dashboard", "scale_dashboard_5000_cohort"),
        "scale_manager",
    ),
    Page(
        "scale-roll-call-20",
        _url("cohorts:roll_call", "scale_roll_call_20_session"),
        "scale_manager",
    ),
    Page(
        "scale-roll-call-200",
        _url("cohorts:roll_call", "scale_roll_call_200_session"),
        "scale_manager",
    ),
]
SCALE = [
    # Two trainees who differ only by their courses (the main persona also has a cohort, a
    # mentor and proposals on its home page: not comparable).
    ("home, enrolled courses", [("1", "scale-home-1-course"), ("20", "scale-home-20-courses")]),
    (
        "outline, enrolled courses",
        [("1", "scale-outline-1-course"), ("20", "scale-outline-20-courses")],
    ),
    # Three cohorts built alike (the main one has more sessions, courses, mentors, proposals).
    (
        "dashboard, trainees",
        [
            ("100", "scale-dashboard-100"),
            ("1,000", "scale-dashboard-1000"),
            ("5,000", "scale-dashboard-5000"),
        ],
    ),
    ("roll call, trainees", [("20", "scale-roll-call-20"), ("200", "scale-roll-call-200")]),
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
