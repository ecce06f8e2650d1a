import pytest

from tests.services import unreachable_services


def pytest_sessionstart(session: pytest.Session) -> None:
    # A missing service fails the run with its name and the variable to set; never a silent skip.
    problems = unreachable_services()
    if problems:
        pytest.exit("The tests need real services:\n  " + "\n  ".join(problems), returncode=3)


@pytest.fixture(scope="session")
def private_media_root(tmp_path_factory: pytest.TempPathFactory):
    return tmp_path_factory.mktemp("private-media")


@pytest.fixture(autouse=True)
def private_media(settings, private_media_root):
    """Keep every file a test stores in a temporary folder, away from the developer's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(private_media_root)}},
    }
    return private_media_root


@pytest.fixture
def worker_logs(tmp_path_factory: pytest.TempPathFactory):
    return tmp_path_factory.mktemp("worker-logs")
