import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_pytest_with(**env_overrides: str) -> subprocess.CompletedProcess:
    import os

    env = {**os.environ, **env_overrides}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/navis/test_health.py::test_healthz_answers_while_the_process_lives",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_missing_redis_fails_the_run_naming_the_service_and_its_variable():
    result = run_pytest_with(REDIS_URL="redis://127.0.0.1:9/1")

    assert result.returncode != 0
    assert "Redis at redis://127.0.0.1:9/1 (REDIS_URL) does not answer" in result.stdout + result.stderr
    assert "passed" not in result.stdout and "skipped" not in result.stdout


def test_a_missing_postgresql_fails_the_run_naming_the_service_and_its_variable():
    result = run_pytest_with(DATABASE_URL="postgres://postgres@127.0.0.1:9/navis")

    assert result.returncode != 0
    assert "PostgreSQL at 127.0.0.1:9 does not answer" in result.stdout + result.stderr
    assert "DATABASE_URL" in result.stdout + result.stderr


def test_a_missing_clamd_fails_the_run_naming_the_service_and_its_variable():
    result = run_pytest_with(CLAMD_SOCKET="/nonexistent/clamd.sock", CLAMD_HOST="")

    assert result.returncode != 0
    assert "clamd at /nonexistent/clamd.sock (CLAMD_SOCKET) does not answer" in result.stdout + result.stderr
    assert "passed" not in result.stdout and "skipped" not in result.stdout
