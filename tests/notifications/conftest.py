# The real worker fixture, shared by test_worker.py and test_reminders_worker.py (its
# worker_env marker is registered in pyproject.toml).
from tests.notifications.test_worker import worker  # noqa: F401
