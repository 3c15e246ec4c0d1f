# The real worker fixture, shared by test_worker.py and test_reminders_worker.py.
from tests.notifications.test_worker import worker  # noqa: F401


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "worker_env(**env): environment for the real worker that test_worker starts"
    )
