import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.services import unreachable_services


def pytest_sessionstart(session: pytest.Session) -> None:
    # A missing service fails the run with its name and the variable to set; never a silent skip.
    problems = unreachable_services()
    if problems:
        pytest.exit("The tests need real services:\n  " + "\n  ".join(problems), returncode=3)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--private-storage",
        choices=("local", "s3"),
        default="local",
        help="keep patients' files in a temporary folder (local) or in a bucket of moto's S3 server (s3)",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # The pipeline's key tests run on both storages in every run; --private-storage=s3 runs them all on S3.
    both = metafunc.definition.get_closest_marker("both_storages")
    if both and metafunc.config.getoption("--private-storage") == "local":
        metafunc.parametrize("private_storage_backend", ["local", "s3"], indirect=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A transactional test empties every table when it ends, including the groups and permissions
    # that migrations create; restoring them keeps later tests independent of the order they run in.
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and "serialized_rollback" not in marker.kwargs:
            item.add_marker(
                pytest.mark.django_db(*marker.args, **marker.kwargs, serialized_rollback=True), append=False
            )


@pytest.fixture(scope="session")
def private_media_root(tmp_path_factory: pytest.TempPathFactory):
    """A private storage folder for data a whole module shares (see tests/test_permission_matrix.py)."""
    return tmp_path_factory.mktemp("private-media")


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory):
    """moto's S3 server, started once for the run by the first test that keeps files in a bucket."""
    from tests.storage import running_s3_server

    with running_s3_server(tmp_path_factory.mktemp("s3")) as server:
        yield server


@pytest.fixture
def private_storage_backend(request) -> str:
    """Where this test keeps patients' files: "local" or "s3" (--private-storage, or its parameter)."""
    return getattr(request, "param", request.config.getoption("--private-storage"))


@pytest.fixture(autouse=True)
def private_media(request, settings, tmp_path, private_storage_backend):
    """Private storage of each test's own, away from the developer's files and other tests'.

    A folder (returned) on local disk; on S3, a prefix of the test's own in the test bucket (its
    name is returned, so a test that reads the folder directly fails loudly rather than passing).
    Tests read what is stored with tests/storage.py, which works on both.
    """
    if private_storage_backend == "s3":
        server = request.getfixturevalue("s3_server")
        prefix = f"tests/{uuid.uuid4().hex}"
        settings.STORAGES = {**settings.STORAGES, "default": server.storage(prefix)}
        return prefix
    folder = tmp_path / "private"
    folder.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {**settings.STORAGES["default"]["OPTIONS"], "location": str(folder)},
        },
    }
    return folder


class Clock:
    """The wall clock (time.time) as a test moves it: forward only, everything else runs for real."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.offset = 0.0
        real_time = time.time
        monkeypatch.setattr(time, "time", lambda: real_time() + self.offset)

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@pytest.fixture
def clock(monkeypatch):
    """Move time forward in a test: `clock.advance(31 * 60)`."""
    return Clock(monkeypatch)


@pytest.fixture
def worker_logs(tmp_path_factory: pytest.TempPathFactory):
    return tmp_path_factory.mktemp("worker-logs")


@pytest.fixture
def admin_user(db, django_user_model):
    """A superuser with two-factor set up, as every staff account must have."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP

    from tests.factories import PASSWORD, TOTP_SECRET

    user = django_user_model.objects.create_superuser(email="admin@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.fixture
def admin_client(admin_user):
    """A client signed in as the superuser through the real login and two-factor pages."""
    from django.test import Client

    from tests.logins import log_in

    client = Client()
    log_in(client, admin_user.email)
    return client


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty shared cache (Redis, as in production), and no page copies in memory."""
    from django.core.cache import cache

    from articles.cache import local_pages

    cache.clear()
    local_pages.forget()
    yield
    cache.clear()
    local_pages.forget()


@pytest.fixture
def consent_text(db):
    from tests.factories import ConsentTextFactory

    return ConsentTextFactory()


@pytest.fixture
def patient(db):
    from tests.factories import UserFactory

    return UserFactory(email="pat@example.com")


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient)
    return client


@pytest.fixture
def broker():
    """The real test broker's queue, empty at the start and the end of the test."""
    from tests import broker as queue

    queue.purge()
    yield queue
    queue.purge()


@pytest.fixture
def emails_sent(django_capture_on_commit_callbacks, broker):
    """A block run as a request is, then the email tasks it left in the broker, run here as a worker would."""
    from tests.uploads.conftest import send_queued_emails

    @contextmanager
    def run() -> Iterator[None]:
        with django_capture_on_commit_callbacks(execute=True):
            yield
        send_queued_emails(broker)
        broker.purge()  # each email task once, as the worker's acknowledgement does

    return run
