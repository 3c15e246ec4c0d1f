"""Publishing a background job from code whose own work is already done (committed, or a sweep)."""

import logging

logger = logging.getLogger(__name__)


def enqueue(task, *args) -> bool:
    """Publish `task(*args)`. A broker that cannot be reached is logged, not raised: the caller's
    work stands, and the sweep that looks for unfinished work enqueues it again."""
    try:
        task.delay(*args)
    except Exception:
        logger.exception("Could not enqueue %s%s", task.name, args)
        return False
    return True
