"""Whom a program manager sees among people (registered with accounts.access by CohortsConfig).

A manager sees the members (any role, past ones too: their records stay the cohort's) and the
applicants of the cohorts they run, plus the general pool of people who belong to no cohort and
applied to none (new accounts, trainees enrolled in a course directly). A person of another
manager's cohort is out of scope: their pages, submissions and progress answer 404."""

from django.db.models import Q

from .models import Application, Cohort, Membership


def people_of_managed_cohorts(manager) -> Q:
    managed = Cohort.objects.managed_by(manager)
    return (
        Q(pk__in=Membership.objects.filter(cohort__in=managed).values("user_id"))
        | Q(pk__in=Application.objects.filter(cohort__in=managed).values("applicant_id"))
        | (
            ~Q(pk__in=Membership.objects.values("user_id"))
            & ~Q(pk__in=Application.objects.values("applicant_id"))
        )
    )
