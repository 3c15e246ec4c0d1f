"""A cohort from the first page to the dashboard, through the pages only: the manager opens
recruiting, accepts applicants up to the capacity with a waitlist, schedules weekly sessions,
takes attendance by roll call and by self check-in, reads the dashboard and its export, and a
withdrawal gives the place to the first person waiting."""

import csv
import datetime
import io

import pytest
import time_machine
from django.urls import reverse

from cohorts.models import BAGHDAD, Application, Attendance, Cohort, Membership, Session
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


def moment(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BAGHDAD)


def url(name, *args, **query):
    path = reverse(f"cohorts:{name}", args=[getattr(a, "pk", a) for a in args])
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


# Saturday 12 January 2030 to the end of March; the first Sunday is the 13th.
STARTS = datetime.date(2030, 1, 12)
FIRST_SUNDAY = datetime.date(2030, 1, 13)
FIRST_TUESDAY = datetime.date(2030, 1, 15)


def test_manager_runs_a_cohort_from_recruiting_to_the_dashboard(client, manager):
    hawraa, ali, sajjad = (
        TraineeFactory(full_name="حوراء حسن", email="hawraa@example.org"),
        TraineeFactory(full_name="علي كريم", email="ali@example.org"),
        TraineeFactory(full_name="سجاد مهدي", email="sajjad@example.org"),
    )

    # The manager opens a cohort of two places and its application form.
    with time_machine.travel(moment(datetime.date(2030, 1, 2), 10)):
        client.force_login(manager)
        created = client.post(
            url("create"),
            {
                "name": "القادة الشباب — النجف 2030",
                "track": "youth",
                "governorate": "najaf",
                "starts_on": STARTS,
                "ends_on": datetime.date(2030, 3, 31),
                "capacity": 2,
                "min_attendance_percent": 75,
            },
        )
        assert created.status_code == 302
        cohort = Cohort.objects.get(name="القادة الشباب — النجف 2030")
        client.post(
            url("questions", cohort),
            {
                "q-TOTAL_FORMS": "1",
                "q-INITIAL_FORMS": "0",
                "q-0-text": "ما المبادرة التي تحلم بها؟",
                "q-0-required": "on",
                "q-0-ORDER": "1",
            },
        )
        question = cohort.application_questions.get()
        assert (
            client.post(
                url("change_status", cohort), {"status": "recruiting", "confirmed": "1"}
            ).status_code
            == 302
        )

        # Three trainees apply on the public page.
        for person in (hawraa, ali, sajjad):
            client.force_login(person)
            assert (
                "ما المبادرة التي تحلم بها؟" in client.get(url("detail", cohort)).content.decode()
            )
            applied = client.post(
                url("apply", cohort),
                {
                    "motivation": "أريد أن أخدم مدينتي",
                    "availability": "المساء",
                    f"answer_{question.pk}": "مكتبة متنقلة",
                    "consent": "on",
                },
            )
            assert applied.status_code == 302
        assert Application.objects.filter(cohort=cohort, status="submitted").count() == 3

        # Bulk acceptance fills the two places in order of application; the third waits.
        client.force_login(manager)
        listed = client.get(url("applications", cohort))
        ids = [a.pk for a in listed.context["page"]]
        decided = client.post(
            url("applications_bulk", cohort),
            {"ids": ids, "decision": "accepted", "waitlist_if_full": "1"},
            follow=True,
        )
        assert [m.level_tag for m in decided.context["messages"]] == ["success"]
        statuses = dict(
            Application.objects.filter(cohort=cohort).values_list("applicant__email", "status")
        )
        assert statuses == {
            "hawraa@example.org": "accepted",
            "ali@example.org": "accepted",
            "sajjad@example.org": "waitlisted",
        }
        client.force_login(sajjad)
        assert "status-waitlisted" in client.get(url("detail", cohort)).content.decode()

        # Running; weekly sessions on Sundays and Tuesdays for two weeks.
        client.force_login(manager)
        assert (
            client.post(
                url("change_status", cohort), {"status": "running", "confirmed": "1"}
            ).status_code
            == 302
        )
        series = client.post(
            url("session_series", cohort),
            {
                "title": "ورشة القيادة",
                "first_day": STARTS,
                "last_day": STARTS + datetime.timedelta(days=13),
                "weekdays": [6, 1],
                "start_time": "17:00",
                "end_time": "19:00",
                "format": "workshop",
                "mode": "in_person",
                "skip_fridays": "on",
            },
        )
        assert series.status_code == 302
    sessions = list(Session.objects.filter(cohort=cohort).order_by("starts_at"))
    assert [s.starts_at for s in sessions[:2]] == [
        moment(FIRST_SUNDAY, 17),
        moment(FIRST_TUESDAY, 17),
    ]
    assert len(sessions) == 4
    sunday, tuesday = sessions[0], sessions[1]

    # Sunday: the facilitator's roll call.
    with time_machine.travel(moment(FIRST_SUNDAY, 17, 20)):
        roll = client.get(url("roll_call", sunday))
        assert [r["id"] for r in roll.context["rows"]] == [hawraa.pk, ali.pk]
        marked = client.post(
            url("roll_call", sunday),
            {"shown": [hawraa.pk, ali.pk], f"m{hawraa.pk}": "present", f"m{ali.pk}": "absent"},
        )
        assert marked.status_code == 302

    # Tuesday: the code on the screen; Hawraa checks in on time, Ali late.
    with time_machine.travel(moment(FIRST_TUESDAY, 16, 50)):
        code = client.get(url("session", tuesday)).context["session"].check_in_code
        client.force_login(hawraa)
        home = client.get(reverse("core:home")).content.decode()
        assert url("check_in", tuesday) in home
        assert client.post(url("check_in", tuesday), {"code": code}).status_code == 302
    with time_machine.travel(moment(FIRST_TUESDAY, 17, 25)):
        client.force_login(ali)
        assert client.post(url("check_in", tuesday), {"code": "WRONG9"}).status_code == 400
        assert client.post(url("check_in", tuesday), {"code": code}).status_code == 302

    marks = {
        (a.session_id, a.user.email): (a.status, a.source)
        for a in Attendance.objects.select_related("user")
    }
    assert marks == {
        (sunday.pk, "hawraa@example.org"): ("present", "roll_call"),
        (sunday.pk, "ali@example.org"): ("absent", "roll_call"),
        (tuesday.pk, "hawraa@example.org"): ("present", "check_in"),
        (tuesday.pk, "ali@example.org"): ("late", "check_in"),
    }

    # Wednesday: the manager reads the dashboard and downloads what it shows.
    with time_machine.travel(moment(FIRST_TUESDAY + datetime.timedelta(days=1), 9)):
        client.force_login(manager)
        board = client.get(url("dashboard", cohort, sort="name")).context["board"]
        figures = {r.email: (r.attendance_percent, r.sessions_attended) for r in board.rows}
        assert figures == {"hawraa@example.org": (100, 2), "ali@example.org": (50, 1)}
        ali_row = next(r for r in board.rows if r.email == "ali@example.org")
        assert [f.code for f in ali_row.flags] == ["attendance"]
        exported = client.get(url("dashboard_export", cohort, sort="name"))
        rows = list(
            csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig")))
        )
        assert [r[2] for r in rows[1:]] == [r.email for r in board.rows]

        # Ali leaves; the first person waiting takes the place and is named on the page.
        membership = Membership.objects.get(cohort=cohort, user=ali)
        left = client.post(url("member_withdraw", membership), {"confirmed": "1"}, follow=True)
        assert any("سجاد مهدي" in str(m) for m in left.context["messages"])
    assert Application.objects.get(applicant=sajjad).status == "accepted"
    assert set(
        Membership.objects.active()
        .trainees()
        .filter(cohort=cohort)
        .values_list("user__email", flat=True)
    ) == {"hawraa@example.org", "sajjad@example.org"}
