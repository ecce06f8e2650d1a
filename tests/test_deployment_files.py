"""docker-compose.yml, the Dockerfile and .env.example must say what the code really reads and runs."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def variables_read_by_settings() -> set[str]:
    source = (ROOT / "navis" / "settings.py").read_text()
    return set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', source))


def variables_listed_in_env_example() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^#?\s*([A-Z_]+)=", text, flags=re.MULTILINE))


def test_env_example_lists_every_variable_the_settings_read():
    missing = variables_read_by_settings() - variables_listed_in_env_example()

    assert not missing, f".env.example does not list: {sorted(missing)}"


def test_compose_runs_postgres_and_redis_with_health_checks():
    services = compose()["services"]

    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert "ping" in services["redis"]["healthcheck"]["test"]


def test_compose_runs_web_under_gunicorn_with_a_worker_and_beat():
    services = compose()["services"]

    assert services["web"]["command"][0] == "gunicorn"
    assert services["web"]["command"][1] == "navis.wsgi:application"
    assert services["worker"]["command"][:4] == ["celery", "-A", "navis", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "navis", "beat"]


def test_the_worker_scans_with_a_clamd_of_the_stack():
    services = compose()["services"]

    assert services["clamav"]["image"].startswith("clamav/clamav")
    assert services["worker"]["environment"]["CLAMD_HOST"] == "clamav"
    assert "clamav" in services["worker"]["depends_on"]


def test_web_waits_for_a_healthy_database_and_finished_migrations():
    web = compose()["services"]["web"]

    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_app_containers_get_their_settings_from_the_environment():
    services = compose()["services"]

    for name in ("web", "worker", "beat", "migrate"):
        environment = services[name]["environment"]
        assert environment["DEBUG"] == "False"
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert set(environment) <= variables_listed_in_env_example(), name


def test_the_image_installs_the_locked_dependencies():
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert "FROM python:3.11" in dockerfile
    assert "requirements.lock" in dockerfile
    assert "USER navis" in dockerfile


def test_every_worker_consumes_the_reconcilers_queue_too():
    from django.conf import settings

    from uploads import task_names

    # A worker takes every queue the settings declare unless -Q narrows it: no command of ours does.
    assert [queue.name for queue in settings.CELERY_TASK_QUEUES] == [
        task_names.DEFAULT_QUEUE,
        task_names.RECONCILE_QUEUE,
    ]
    worker_commands = [
        " ".join(compose()["services"]["worker"]["command"]),
        next(line for line in (ROOT / "Procfile.dev").read_text().splitlines() if line.startswith("worker:")),
        (ROOT / "tests" / "workers.py").read_text(),
        (ROOT / "bench" / "harness.py").read_text(),
    ]
    for command in worker_commands:
        assert '"worker"' in command or " worker " in command
        assert "-Q" not in command and "--queues" not in command, command
