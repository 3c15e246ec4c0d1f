"""The certificates tasks, importable where Celery's autodiscovery looks for them."""

from .bulk import bulk_issue, issue_if_eligible_task, sweep_certificates, sweep_unfinished_task
from .services import render_certificate

__all__ = [
    "bulk_issue",
    "issue_if_eligible_task",
    "render_certificate",
    "sweep_certificates",
    "sweep_unfinished_task",
]
