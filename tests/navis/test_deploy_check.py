import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "DEBUG": "False",
    "SECRET_KEY": "x7Jq2-production-like-secret-for-the-check-only-9f4c1b8e2d7a6e5f3c0b1a9d8e7f6a5b4c3d",
    "ALLOWED_HOSTS": "navis.example",
    "SITE_URL": "https://navis.example",
    "DATABASE_URL": "postgres://navis@db.example:5432/navis",
    "REDIS_URL": "redis://redis.example:6379/0",
    "CACHE_URL": "redis://redis.example:6379/2",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example:587",
    "LOG_FORMAT": "json",
}


def run_deploy_check(**overrides: str) -> subprocess.CompletedProcess:
    # A clean environment: only PATH and what production would set, nothing from the test run.
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", **PRODUCTION_ENV, **overrides}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_values():
    result = run_deploy_check()

    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_when_production_runs_with_debug_on():
    result = run_deploy_check(DEBUG="True")

    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_deploy_check(SECRET_KEY="")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_due_days_for_every_priority_in_order():
    for wrong in ("1=2,2=3", "1=9,2=3,3=5", "1=0,2=3,3=5"):
        result = run_deploy_check(CASE_DUE_WORKING_DAYS=wrong)

        assert result.returncode != 0, wrong
        assert "CASE_DUE_WORKING_DAYS gives working days" in result.stderr
