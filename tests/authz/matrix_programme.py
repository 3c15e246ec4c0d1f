"""The matrix rows of the programme apps: proposals, certificates and mentoring."""

from tests.authz.cases import (
    COHORT_MANAGERS_PAGE,
    COHORT_ROUND_API,
    MENTORING_PAIR,
    MENTORING_ROUND,
    MENTORING_ROUND_POST,
    MENTORSHIP,
    NOT_THEIRS,
    NOT_THEIRS_CODES,
    RUNNING,
    SIGNED_IN_API,
    SIGNED_IN_PAGE,
    TRAINEE_MEMBERSHIP,
    Case,
    codes,
    everyone,
)
from tests.certificates.world import get as certificate_get
from tests.cohorts.factories import today
from tests.cohorts.world import get as cohort_get
from tests.proposals.world import get as proposal_get

PROGRAMME: dict[str, Case] = {
    # --- proposals (objects from tests/proposals/world.py): the trainee leads them; the mentor
    # reviews "reviewed" and "implementing"; the manager runs their cohort. The other manager and
    # the removed facilitator have no part in any proposal (NOT_THEIRS: 404).
    "proposals:mine": Case(SIGNED_IN_PAGE),
    "proposals:showcase": Case(everyone(200)),
    "proposals:showcase_item": Case(everyone(200), kwargs={"pk": proposal_get("showcased")}),
    "proposals:queue": Case(SIGNED_IN_PAGE),
    "proposals:review": Case(
        codes(302, 404, 200, 404, 404),
        kwargs={"pk": proposal_get("assignment")},
        **NOT_THEIRS,
    ),
    "proposals:create": Case(codes(302, 200, 403, 403, 403, other_manager=404), kwargs=RUNNING),
    "proposals:manage": Case(COHORT_MANAGERS_PAGE, kwargs=RUNNING),
    "proposals:assign": Case(COHORT_MANAGERS_PAGE, kwargs=RUNNING),
    "proposals:rubric": Case(COHORT_MANAGERS_PAGE, kwargs=RUNNING),
    "proposals:detail": Case(SIGNED_IN_PAGE, kwargs={"pk": proposal_get("reviewed")}, **NOT_THEIRS),
    "proposals:edit": Case(
        codes(302, 200, 404, 403, 403), kwargs={"pk": proposal_get("draft")}, **NOT_THEIRS
    ),
    "proposals:compare": Case(
        SIGNED_IN_PAGE, kwargs={"pk": proposal_get("reviewed")}, **NOT_THEIRS
    ),
    "proposals:transition": Case(
        codes(302, 302, 403, 403, 403),
        method="post",
        kwargs={"pk": proposal_get("reviewed"), "action": "withdraw"},
        **NOT_THEIRS,
    ),
    "proposals:attach": Case(
        codes(302, 400, 404, 403, 403),
        method="post",
        kwargs={"pk": proposal_get("draft")},
        **NOT_THEIRS,
    ),
    "proposals:invite": Case(
        codes(302, 400, 404, 403, 403),
        method="post",
        kwargs={"pk": proposal_get("draft")},
        **NOT_THEIRS,
    ),
    "proposals:respond": Case(
        codes(302, 403, 404, 403, 403),
        method="post",
        kwargs={"pk": proposal_get("draft")},
        **NOT_THEIRS,
    ),
    "proposals:decide": Case(
        codes(302, 403, 403, 200, 200),
        kwargs={"pk": proposal_get("reviewed")},
        **NOT_THEIRS,
    ),
    "proposals:note": Case(
        codes(302, 403, 302, 302, 302),
        method="post",
        kwargs={"pk": proposal_get("reviewed")},
        data={"body": "ملاحظة"},
        **NOT_THEIRS,
    ),
    "proposals:implementation": Case(
        SIGNED_IN_PAGE, kwargs={"pk": proposal_get("implementing")}, **NOT_THEIRS
    ),
    "proposals:attachment": Case(
        codes(302, 200, 404, 200, 200),
        kwargs={"pk": proposal_get("attachment")},
        **NOT_THEIRS,
    ),
    "proposals:photo": Case(SIGNED_IN_PAGE, kwargs={"pk": proposal_get("photo")}, **NOT_THEIRS),
    "api:proposal-list": Case(SIGNED_IN_API, api=True),
    "api:proposal-detail": Case(
        codes(401, 200, 200, 200, 200),
        kwargs={"pk": proposal_get("reviewed")},
        api=True,
        **NOT_THEIRS,
    ),
    "api:proposal-transitions": Case(
        codes(401, 200, 200, 200, 200),
        kwargs={"pk": proposal_get("reviewed")},
        api=True,
        **NOT_THEIRS,
    ),
    "api:proposal-reviews": Case(
        codes(401, 200, 200, 200, 200),
        kwargs={"pk": proposal_get("reviewed")},
        api=True,
        **NOT_THEIRS,
    ),
    "api:proposal-transition": Case(
        codes(401, 200, 403, 403, 403),
        method="post",
        kwargs={"pk": proposal_get("reviewed")},
        data={"action": "withdraw"},
        api=True,
        **NOT_THEIRS,
    ),
    "api:proposal-decide": Case(
        codes(401, 403, 403, 200, 200),
        method="post",
        kwargs={"pk": proposal_get("reviewed")},
        data={"approve": True, "message": "قرار"},
        api=True,
        **NOT_THEIRS,
    ),
    "api:review-assignment-review": Case(
        codes(401, 404, 400, 403, 403),
        method="post",
        kwargs={"pk": proposal_get("assignment")},
        data={"scores": {}},
        api=True,
        **NOT_THEIRS,
    ),
    # --- certificates (tests/certificates/world.py): the trainee holds a certificate of
    # "running"; issuing, revoking and bulk runs are for the cohort's managers (404 to others).
    "certificates:verify": Case(everyone(200), kwargs={"code": certificate_get("code")}),
    "certificates:verify_json": Case(everyone(200), kwargs={"code": certificate_get("code")}),
    "certificates:issuer": Case(everyone(200)),
    "certificates:check_credential": Case(
        everyone(400), method="post", kwargs={"code": certificate_get("code")}
    ),
    "certificates:mine": Case(SIGNED_IN_PAGE),
    "certificates:download": Case(
        codes(302, 200, 404, 200, 200, other_manager=404),
        kwargs={"pk": certificate_get("certificate")},
    ),
    "certificates:badge": Case(
        codes(302, 200, 404, 200, 200, other_manager=404),
        kwargs={"pk": certificate_get("certificate")},
    ),
    "certificates:manage": Case(COHORT_MANAGERS_PAGE, kwargs={"cohort_id": cohort_get("running")}),
    "certificates:progress": Case(
        COHORT_MANAGERS_PAGE, kwargs={"cohort_id": cohort_get("running")}
    ),
    "certificates:issue": Case(
        codes(302, 404, 404, 302, 302, other_manager=404),
        method="post",
        kwargs={"cohort_id": cohort_get("running"), "user_id": certificate_get("holder")},
    ),
    "certificates:revoke": Case(
        codes(302, 404, 404, 302, 302, other_manager=404),
        method="post",
        kwargs={"cohort_id": cohort_get("running"), "pk": certificate_get("certificate")},
        data={"reason": "سبب"},
    ),
    "certificates:bulk": Case(
        codes(302, 404, 404, 302, 302, other_manager=404),
        method="post",
        kwargs={"cohort_id": cohort_get("running")},
    ),
    "certificates:retry_renders": Case(
        codes(302, 404, 404, 302, 302, other_manager=404),
        method="post",
        kwargs={"cohort_id": cohort_get("running")},
    ),
    "certificates_api:certificate-list": Case(SIGNED_IN_API, api=True),
    "certificates_api:certificate-detail": Case(
        codes(401, 200, 404, 200, 200, other_manager=404),
        kwargs={"pk": certificate_get("certificate")},
        api=True,
    ),
    # Without ?cohort= these answer 400 to everyone signed in (the matrix sends no query).
    "certificates_api:certificate-eligibility": Case(codes(401, 400, 400, 400, 400), api=True),
    "certificates_api:certificate-bulk-progress": Case(codes(401, 400, 400, 400, 400), api=True),
    "certificates_api:certificate-issue": Case(
        codes(401, 404, 404, 201, 201, other_manager=404),
        method="post",
        data={"cohort": cohort_get("running"), "trainee": certificate_get("holder")},
        api=True,
    ),
    "certificates_api:certificate-bulk": Case(
        codes(401, 404, 404, 202, 202, other_manager=404),
        method="post",
        data={"cohort": cohort_get("running")},
        api=True,
    ),
    "certificates_api:certificate-revoke": Case(
        codes(401, 404, 404, 200, 200, other_manager=404),
        method="post",
        kwargs={"pk": certificate_get("certificate")},
        data={"reason": "سبب"},
        api=True,
    ),
    "certificates_api:certificate-reissue": Case(
        codes(401, 404, 404, 201, 201, other_manager=404),
        method="post",
        kwargs={"pk": certificate_get("certificate")},
        api=True,
    ),
    # --- mentoring (tests/mentoring/world.py): the mentor persona mentors the trainee persona in
    # "running" (accepted, one meeting); the manager runs its rounds ("round" is the next draft).
    # A mentorship is reached by its two people, the cohort's managers and staff (404 for others);
    # acting on it is for its mentor or trainee, as the service says (403).
    "mentoring:round": Case(COHORT_MANAGERS_PAGE, kwargs=RUNNING),
    "mentoring:load": Case(COHORT_MANAGERS_PAGE, kwargs=RUNNING),
    **{
        f"mentoring:round_{action}": Case(
            MENTORING_ROUND_POST, method="post", kwargs=MENTORING_ROUND, data=MENTORING_PAIR
        )
        for action in ("pin", "forbid", "rerun", "publish")
    },
    "mentoring:my_mentees": Case(SIGNED_IN_PAGE),
    "mentoring:my_mentor": Case(SIGNED_IN_PAGE),
    "mentoring:mentorship": Case(
        codes(302, 200, 200, 200, 200, **NOT_THEIRS_CODES), kwargs=MENTORSHIP
    ),
    "mentoring:accept": Case(
        codes(302, 403, 409, 403, 403, **NOT_THEIRS_CODES), method="post", kwargs=MENTORSHIP
    ),
    "mentoring:decline": Case(
        codes(302, 403, 409, 403, 403, **NOT_THEIRS_CODES),
        method="post",
        kwargs=MENTORSHIP,
        data={"reason": "سبب"},
    ),
    "mentoring:meeting": Case(
        codes(302, 403, 302, 403, 403, **NOT_THEIRS_CODES),
        method="post",
        kwargs=MENTORSHIP,
        data={"date": lambda w: today().isoformat(), "duration_minutes": 30},
    ),
    "mentoring:goal": Case(
        codes(302, 302, 302, 403, 403, **NOT_THEIRS_CODES),
        method="post",
        kwargs=MENTORSHIP,
        data={"text": "هدف", "progress": 10},
    ),
    "mentoring:fit": Case(
        codes(302, 302, 302, 403, 403, **NOT_THEIRS_CODES),
        method="post",
        kwargs=MENTORSHIP,
        data={"fit": "good"},
    ),
    "mentoring:profile": Case(codes(302, 403, 200, 403, 403)),
    "mentoring:intake": Case(
        codes(302, 200, 404, 404, 404, **NOT_THEIRS_CODES), kwargs=TRAINEE_MEMBERSHIP
    ),
    # Mentoring API: the same people; lists are filtered by visible_to (200, maybe empty).
    "api:mentorship-list": Case(SIGNED_IN_API, api=True),
    "api:mentorship-detail": Case(
        codes(401, 200, 200, 200, 200, **NOT_THEIRS_CODES), kwargs=MENTORSHIP, api=True
    ),
    "api:mentorship-accept": Case(
        codes(401, 403, 409, 403, 403, **NOT_THEIRS_CODES),
        method="post",
        kwargs=MENTORSHIP,
        api=True,
    ),
    "api:mentorship-decline": Case(
        codes(401, 403, 409, 403, 403, **NOT_THEIRS_CODES),
        method="post",
        kwargs=MENTORSHIP,
        data={"reason": "سبب"},
        api=True,
    ),
    "api:mentorship-fit": Case(
        codes(401, 200, 200, 403, 403, **NOT_THEIRS_CODES),
        method="post",
        kwargs=MENTORSHIP,
        data={"fit": "good"},
        api=True,
    ),
    "api:meeting-list": Case(SIGNED_IN_API, api=True),
    "api:goal-list": Case(SIGNED_IN_API, api=True),
    "api:match-round-list": Case(SIGNED_IN_API, api=True),
    "api:match-round-detail": Case(COHORT_ROUND_API, kwargs=MENTORING_ROUND, api=True),
    "api:match-round-run": Case(
        COHORT_ROUND_API, method="post", data={"cohort": cohort_get("running")}, api=True
    ),
    "api:match-round-publish": Case(
        COHORT_ROUND_API, method="post", kwargs=MENTORING_ROUND, api=True
    ),
}
