"""The words mentors and trainees are matched on: topics (the Center's tracks and finer
subjects), spoken languages and availability slots (weekday x part of day)."""

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.tracks import Track


class Topic(models.TextChoices):
    ELECTIONS = "elections", _("Elections")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    MEDIA = "media", _("Media")
    LAW = "law", _("Law")
    ECONOMY = "economy", _("Economy")
    WOMEN = "women", _("Women's participation")
    HUMAN_RIGHTS = "human_rights", _("Human rights")
    YOUTH_COUNCILS = "youth_councils", _("Youth councils")
    DIALOGUE = "dialogue", _("Dialogue and peacebuilding")
    POLICY_WRITING = "policy_writing", _("Policy writing")
    DIPLOMACY = "diplomacy", _("Diplomacy")
    PUBLIC_ADMIN = "public_admin", _("Public administration")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    PROJECT_MANAGEMENT = "project_management", _("Project management")


# Which track each finer topic belongs to (the "track" soft score compares a mentor's topics
# with the cohort's track).
TOPIC_TRACK = {
    Topic.ELECTIONS: Track.NATIONAL_POLITICAL,
    Topic.MEDIA: Track.NATIONAL_POLITICAL,
    Topic.DIALOGUE: Track.NATIONAL_POLITICAL,
    Topic.WOMEN: Track.NATIONAL_POLITICAL,
    Topic.LOCAL_GOVERNMENT: Track.STATE_INSTITUTIONS,
    Topic.LAW: Track.STATE_INSTITUTIONS,
    Topic.ECONOMY: Track.STATE_INSTITUTIONS,
    Topic.PUBLIC_ADMIN: Track.STATE_INSTITUTIONS,
    Topic.POLICY_WRITING: Track.STATE_INSTITUTIONS,
    Topic.DIPLOMACY: Track.FOREIGN_RELATIONS,
    Topic.HUMAN_RIGHTS: Track.FOREIGN_RELATIONS,
    Topic.YOUTH_COUNCILS: Track.YOUTH_INITIATIVES,
    Topic.CIVIL_SOCIETY: Track.YOUTH_INITIATIVES,
    Topic.PROJECT_MANAGEMENT: Track.YOUTH_INITIATIVES,
}


class Language(models.TextChoices):
    ARABIC = "ar", _("Arabic")
    KURDISH = "ku", _("Kurdish")
    ENGLISH = "en", _("English")
    TURKMEN = "tk", _("Turkmen")
    SYRIAC = "syc", _("Syriac")


class Weekday(models.TextChoices):
    SATURDAY = "sat", _("Saturday")
    SUNDAY = "sun", _("Sunday")
    MONDAY = "mon", _("Monday")
    TUESDAY = "tue", _("Tuesday")
    WEDNESDAY = "wed", _("Wednesday")
    THURSDAY = "thu", _("Thursday")
    FRIDAY = "fri", _("Friday")


class DayPart(models.TextChoices):
    MORNING = "morning", _("mornings")
    AFTERNOON = "afternoon", _("afternoons")
    EVENING = "evening", _("evenings")


# An availability slot is "<weekday>-<daypart>", e.g. "sat-evening".
SLOT_CHOICES = [
    (f"{day.value}-{part.value}", format_lazy("{} {}", day.label, part.label))
    for day in Weekday
    for part in DayPart
]
SLOTS = frozenset(value for value, _label in SLOT_CHOICES)
