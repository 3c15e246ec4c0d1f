"""Frozen revisions of a proposal and the field-by-field comparison of two of them."""

from django.utils.translation import gettext_lazy as _

from ..models import Proposal, Revision

SNAPSHOT_FIELDS = (
    "title",
    "problem",
    "target_group",
    "governorate",
    "objectives",
    "activities",
    "starts_on",
    "ends_on",
    "partners",
    "expected_impact",
    "indicators",
    "risks",
)


def snapshot(proposal: Proposal) -> dict:
    data = {}
    for name in SNAPSHOT_FIELDS:
        value = getattr(proposal, name)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    lines = list(proposal.budget_lines.all())
    data["budget_lines"] = [
        {"item": b.item, "quantity": b.quantity, "unit_cost_iqd": b.unit_cost_iqd} for b in lines
    ]
    data["budget_total_iqd"] = sum(b.total for b in lines)
    data["attachments"] = [a.original_name for a in proposal.attachments.all()]
    return data


def freeze(proposal: Proposal, *, actor) -> Revision:
    last = proposal.revisions.order_by("-number").first()
    return Revision.objects.create(
        proposal=proposal,
        number=(last.number + 1) if last else 1,
        proposal_version=proposal.version,
        snapshot=snapshot(proposal),
        created_by=actor,
    )


def _label(name: str) -> str:
    extra = {
        "budget_lines": _("budget lines"),
        "budget_total_iqd": _("budget total (IQD)"),
        "attachments": _("attachments"),
    }
    if name in extra:
        return str(extra[name])
    return str(Proposal._meta.get_field(name).verbose_name)


def _text(value) -> str:
    if isinstance(value, list):
        return "\n".join(
            " × ".join(str(v) for v in item.values()) if isinstance(item, dict) else str(item)
            for item in value
        )
    return "" if value is None else str(value)


def diff(older: Revision, newer: Revision) -> list[dict]:
    """The fields that differ between two revisions: [{field, label, old, new}], in form order."""
    keys = [*SNAPSHOT_FIELDS, "budget_lines", "budget_total_iqd", "attachments"]
    changes = []
    for key in keys:
        old, new = older.snapshot.get(key), newer.snapshot.get(key)
        if old != new:
            changes.append(
                {"field": key, "label": _label(key), "old": _text(old), "new": _text(new)}
            )
    return changes
