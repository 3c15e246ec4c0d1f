"""Proposal pages, one module per area, re-exported for urls.py."""

from .implementation import implementation, showcase, showcase_item
from .review import assign, decide, manage, note, queue, review, rubric
from .team import (
    attach,
    attachment,
    compare,
    create,
    detail,
    edit,
    invite,
    mine,
    photo,
    respond,
    transition,
)

__all__ = [
    "assign",
    "attach",
    "attachment",
    "compare",
    "create",
    "decide",
    "detail",
    "edit",
    "implementation",
    "invite",
    "manage",
    "mine",
    "note",
    "photo",
    "queue",
    "respond",
    "review",
    "rubric",
    "showcase",
    "showcase_item",
    "transition",
]
