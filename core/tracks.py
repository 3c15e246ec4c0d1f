"""The Center's four strategic tracks, in its own words. Courses and cohorts belong to one."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Track(models.TextChoices):
    NATIONAL_POLITICAL = "political", _("National political track")
    STATE_INSTITUTIONS = "institutions", _("Building state institutions")
    FOREIGN_RELATIONS = "foreign", _("Foreign relations")
    YOUTH_INITIATIVES = "youth", _("Youth initiatives")


TRACKS = [
    {
        "key": Track.NATIONAL_POLITICAL,
        "title": Track.NATIONAL_POLITICAL.label,
        "summary": _(
            "Working with traditional and emerging political forces, media, academia and "
            "decision-makers to correct political courses and strengthen community participation "
            "in policy-making."
        ),
    },
    {
        "key": Track.STATE_INSTITUTIONS,
        "title": Track.STATE_INSTITUTIONS.label,
        "summary": _(
            "Technical, economic, administrative and legal advice to Iraq's legislative and "
            "executive institutions: diagnosing problems and proposing effective solutions."
        ),
    },
    {
        "key": Track.FOREIGN_RELATIONS,
        "title": Track.FOREIGN_RELATIONS.label,
        "summary": _(
            "Purposeful contact with international and regional organisations, diplomatic "
            "missions and universities, to bring successful experience to Iraqi democracy."
        ),
    },
    {
        "key": Track.YOUTH_INITIATIVES,
        "title": Track.YOUTH_INITIATIVES.label,
        "summary": _(
            "Preparing and empowering students and young people interested in public affairs, "
            "developing their leadership and personal skills so that they become influential "
            "young leaders, and supporting youth and women's civil-society organisations."
        ),
    },
]
