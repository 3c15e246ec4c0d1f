"""The one error vocabulary of every service: pages and the API map these to 400/403/409.

- ``django.core.exceptions.ValidationError``: the input is wrong (400, field messages).
- ``django.core.exceptions.PermissionDenied`` (or ``Refused`` for one with a code): not yours to
  act on (403).
- ``Conflict``: well-formed, but the current state forbids it (409, with a code saying why).
"""

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["Conflict", "PermissionDenied", "Refused", "ValidationError"]


class Conflict(Exception):
    """The action is well-formed but the current state forbids it (e.g. the cohort is full)."""

    def __init__(self, message, *, code: str):
        self.message = str(message)
        self.code = code
        super().__init__(self.message)


class Refused(PermissionDenied):
    """A refusal the caller should be told about in words, with a machine-readable code."""

    code = "permission_denied"

    def __init__(self, message, *, code: str | None = None):
        self.message = str(message)
        if code:
            self.code = code
        super().__init__(self.message)
