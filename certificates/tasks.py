"""The certificates tasks, importable where Celery's autodiscovery looks for them."""

from .services import (
    bulk_issue,
    issue_if_eligible_task,
    render_certificate,
    sweep_certificates,
    sweep_unfinished_task,
)

__all__ = [
    "bulk_issue",
    "issue_if_eligible_task",
    "render_certificate",
    "sweep_certificates",
    "sweep_unfinished_task",
]
