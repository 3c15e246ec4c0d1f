"""The matching engine's parts and reasons in the reader's language, e.g.
"+30 shared topics: elections, local government; +10 same governorate (Najaf)"."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Governorate

from .vocabulary import SLOT_CHOICES, Language, Topic

_SLOTS = dict(SLOT_CHOICES)


def _label(choices, value):
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _topics(items):
    return _(", ").join(_label(Topic, v) for v in items)


def part_text(part: dict) -> str:
    points, items = part.get("points", 0), part.get("items", [])
    kind = part.get("kind")
    if kind == "topics":
        what = _("shared topics: %(topics)s") % {"topics": _topics(items)}
    elif kind == "governorate":
        what = _("same governorate (%(governorate)s)") % {
            "governorate": _(", ").join(_label(Governorate, v) for v in items)
        }
    elif kind == "availability":
        what = ngettext(
            "overlapping time: %(slots)s", "overlapping times: %(slots)s", len(items)
        ) % {"slots": _(", ").join(str(_SLOTS.get(v, v)) for v in items)}
    elif kind == "track":
        what = _("expertise in the cohort's track: %(topics)s") % {"topics": _topics(items)}
    else:
        what = kind or ""
    return f"+{points} {what}"


def topics_text(items) -> str:
    return _topics(items)


def reasons_text(parts) -> str:
    return _("; ").join(part_text(p) for p in parts or [])


def unmatched_text(reason: dict | None) -> str:
    if not reason:
        return ""
    languages = _(" or ").join(_label(Language, v) for v in reason.get("languages", []))
    texts = {
        "no_mentors": _("no mentors in this round"),
        "no_language": _("no mentor speaks %(languages)s"),
        "no_same_gender": _("no mentor of the same gender speaks %(languages)s"),
        "no_gender_given": _("a mentor of the same gender was asked for, but no gender is given"),
        "forbidden": _("every suitable mentor is excluded for this trainee"),
        "no_capacity": _("no mentor with free capacity speaks %(languages)s"),
        "capacity_taken": _("every suitable mentor's places went to other trainees"),
    }
    return texts.get(reason.get("code"), reason.get("code", "")) % {"languages": languages}


def error_text(code: str) -> str:
    return {
        "bad_capacity": _("A mentor's capacity must be zero or more."),
        "unknown_topic": _("Unknown topic."),
        "bad_weight": _("Weights must be between 0 and 100."),
        "pin_over_capacity": _("This mentor has no free place for another pinned trainee."),
        "pin_no_language": _("This mentor and trainee share no language."),
        "pin_gender": _("The trainee asked for a mentor of the same gender."),
        "pin_forbidden": _("This pair is forbidden; remove the forbid first."),
        "pin_unknown_mentor": _("This mentor is not available in this round."),
        "pin_unknown_trainee": _("This trainee is not waiting for a mentor in this cohort."),
        "pin_twice": _("This trainee is already pinned."),
    }.get(code, _("The round cannot be computed."))
