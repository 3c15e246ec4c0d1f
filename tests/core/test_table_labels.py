"""Every data table that a person reads on a phone is marked `card-rows` and each of its body
cells carries its column's heading in data-label, which the stylesheet shows above the value
once the table becomes one card per row (tests/browser/test_phone_tables.py looks at the
result). Checked here on the rendered HTML, without a browser: a column whose heading is empty
or only for screen readers (a checkbox, an actions column) gets no label."""

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Cohort, Membership
from courses.models import Lesson
from mentoring import services as mentoring
from mentoring.models import Mentorship
from notifications.models import Delivery
from proposals.models import Proposal
from tests.cohorts.factories import (
    ApplicationFactory,
    AttendanceFactory,
    CurriculumItemFactory,
    MembershipFactory,
    SessionFactory,
    at,
    cohort_with,
    today,
)
from tests.courses.factories import (
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    ModuleFactory,
    SubmissionFactory,
)
from tests.factories import TraineeFactory
from tests.proposals.factories import proposal_at

pytestmark = pytest.mark.django_db


VOID = {"br", "hr", "img", "input", "wbr"}


def _words(text: str) -> str:
    return " ".join(text.split())


class TableReader(HTMLParser):
    """The tables of a page: for each, its classes, its column headings (the text a sighted
    reader sees, so .sr-only text is left out) and its body cells as
    (column heading, data-label or None, text)."""

    def __init__(self):
        super().__init__()
        self.tables = []
        self._section = None
        self._cell = None  # [tag, attrs, text parts, column]
        self._hidden = 0  # depth inside an .sr-only element of the current cell
        self._column = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            classes = (attrs.get("class") or "").split()
            self.tables.append({"classes": classes, "headings": [], "cells": []})
        elif not self.tables:
            return
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = tag
        elif tag == "tr":
            self._column = 0
        elif tag in ("th", "td"):
            self._cell = [tag, attrs, [], self._column]
            self._column += int(attrs.get("colspan") or 1)
        elif (
            self._cell is not None
            and tag not in VOID
            and (self._hidden or "sr-only" in (attrs.get("class") or "").split())
        ):
            self._hidden += 1

    def handle_endtag(self, tag):
        if not self.tables:
            return
        if tag in ("th", "td") and self._cell is not None:
            kind, attrs, parts, column = self._cell
            text = _words("".join(parts))
            table = self.tables[-1]
            if self._section == "thead":
                table["headings"].append(text)
                table["headings"] += [""] * (int(attrs.get("colspan") or 1) - 1)
            elif self._section == "tbody" and kind == "td" and not attrs.get("colspan"):
                heading = table["headings"][column] if column < len(table["headings"]) else ""
                table["cells"].append((heading, attrs.get("data-label"), text))
            self._cell, self._hidden = None, 0
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = None
        elif self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if self._cell is not None and not self._hidden:
            self._cell[2].append(data)


def tables_of(html: str) -> list[dict]:
    reader = TableReader()
    reader.feed(html)
    reader.close()
    return reader.tables


@pytest.fixture
def world(manager, mentor, trainee):
    """A running cohort run by the manager persona, with the trainee persona and three more
    trainees, the mentor persona as mentor (all four mentored, a fifth trainee waiting in a
    draft round), a session held last week, a reminder sent, a course of its curriculum with
    a submitted assignment, a recruiting cohort the trainee applied to, and the trainee's
    proposal in review with the mentor."""
    others = [TraineeFactory() for _ in range(3)]
    cohort = cohort_with(manager=manager, trainees=[trainee, *others], mentors=[mentor])
    Membership.objects.filter(cohort=cohort).update(
        joined_at=timezone.now() - datetime.timedelta(days=30)
    )
    last_week = today() - datetime.timedelta(days=7)
    held = SessionFactory(
        cohort=cohort, facilitator=mentor, starts_at=at(last_week, 17), ends_at=at(last_week, 19)
    )
    AttendanceFactory(session=held, user=trainee)
    Delivery.objects.create(
        recipient=trainee, kind="session_reminder", object_key="s:1", occurrence="once"
    )
    recruiting = cohort_with(manager=manager, status=Cohort.Status.RECRUITING)
    ApplicationFactory(cohort=recruiting, applicant=trainee)

    course = CourseFactory()
    assignment = LessonFactory(
        module=ModuleFactory(course=course, position=1), position=1, kind=Lesson.Kind.ASSIGNMENT
    )
    CurriculumItemFactory(cohort=cohort, course=course)
    SubmissionFactory(user=trainee, lesson=assignment)
    EnrollmentFactory(user=others[0], course=course)

    mentoring.save_mentor_profile(actor=mentor, user=mentor, languages=["ar"], capacity=8)
    published = mentoring.run_match_round(actor=manager, cohort=cohort)
    mentoring.publish_match_round(actor=manager, round=published)
    for mentorship in Mentorship.objects.filter(cohort=cohort, mentor=mentor):
        mentoring.accept(actor=mentor, mentorship=mentorship)
    waiting = MembershipFactory(cohort=cohort, role=Membership.Role.TRAINEE)
    mentoring.save_intake(actor=waiting.user, membership=waiting, languages=["ar"])
    mentoring.run_match_round(actor=manager, cohort=cohort)

    team = {
        "cohort": cohort,
        "lead": trainee,
        "coauthor": others[0],
        "manager": manager,
        "reviewer": mentor,
    }
    proposal_at(team, Proposal.Status.IN_REVIEW)
    return {"cohort": cohort, "recruiting": recruiting, "course": course}


def _pages(world):
    pk = world["cohort"].pk
    return {
        "trainee": [
            reverse("cohorts:mine"),
            reverse("cohorts:my_attendance", args=[pk]),
            reverse("proposals:mine"),
        ],
        "mentor": [reverse("mentoring:my_mentees"), reverse("proposals:queue")],
        "manager": [
            reverse("cohorts:manage"),
            reverse("cohorts:applications", args=[world["recruiting"].pk]),
            reverse("cohorts:members", args=[pk]),
            reverse("cohorts:sessions", args=[pk]),
            reverse("cohorts:reminder_log", args=[pk]),
            reverse("accounts:people"),
            reverse("mentoring:load", args=[pk]),
            reverse("mentoring:round", args=[pk]),
            reverse("courses:manage"),
            reverse("courses:review_queue"),
            reverse("courses:course_trainees", args=[world["course"].pk]),
            reverse("proposals:manage", args=[pk]),
            reverse("proposals:rubric", args=[pk]),
            reverse("certificates:manage", args=[pk]),
        ],
    }


@pytest.mark.parametrize("persona", ["trainee", "mentor", "manager"])
def test_every_cell_of_a_data_table_carries_its_heading(client, personas, world, persona):
    client.force_login(personas[persona])
    for path in _pages(world)[persona]:
        response = client.get(path)
        assert response.status_code == 200, path
        tables = tables_of(response.content.decode())
        assert tables, f"{path}: no table"
        labelled = 0
        for table in tables:
            assert "card-rows" in table["classes"], f"{path}: a table is not marked card-rows"
            for heading, label, text in table["cells"]:
                if heading:
                    assert label is not None, f"{path}: {text!r} has no label ({heading!r})"
                    assert _words(label) == heading, f"{path}: {label!r} under {heading!r}"
                    labelled += 1
                else:
                    assert label is None, f"{path}: {label!r} labels a column without heading"
        assert labelled, f"{path}: no row to check (the test's data shows nothing)"


def test_labels_follow_the_language_of_the_page(client, manager, world):
    client.force_login(manager)
    client.cookies["lang"] = "en"
    html = client.get(reverse("cohorts:members", args=[world["cohort"].pk])).content.decode()
    [table] = tables_of(html)
    assert {label for _heading, label, _text in table["cells"]} == {"Name", "Role", "Joined", None}


def test_the_reader_skips_screen_reader_headings_and_sees_missing_labels():
    html = (
        '<table class="card-rows"><thead><tr><th><span class="sr-only">Pick</span></th>'
        "<th>Name</th><th>Role</th></tr></thead><tbody>"
        '<tr><td><input type="checkbox"></td><td data-label="Name">Zahraa</td><td>Trainee</td></tr>'
        '<tr><td colspan="3">Nobody</td></tr></tbody></table>'
    )
    [table] = tables_of(html)
    assert table["headings"] == ["", "Name", "Role"]
    assert table["cells"] == [("", None, ""), ("Name", "Name", "Zahraa"), ("Role", None, "Trainee")]
