"""Repository-wide pytest settings: a run that collects no test fails."""


def pytest_sessionfinish(session, exitstatus):
    if session.testscollected == 0:
        session.exitstatus = 1
