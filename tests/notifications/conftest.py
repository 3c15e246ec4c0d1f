def pytest_configure(config):
    config.addinivalue_line(
        "markers", "worker_env(**env): environment for the real worker that test_worker starts"
    )
