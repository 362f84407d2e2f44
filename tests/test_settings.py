"""Settings come from the environment; production passes Django's deployment checks."""

import json
import os
import secrets
import shutil
import subprocess
import sys

import pytest


def ecogov(*args, env: dict, tmp_path) -> subprocess.CompletedProcess:
    inherited = ("SECRET_KEY", "DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in inherited}
    clean.update({"ECOGOV_VAR_DIR": str(tmp_path), **env})
    return subprocess.run(
        [sys.executable, "-m", "ecogov", *args],
        env=clean,
        capture_output=True,
        text=True,
        timeout=600,  # a guard against a hang: migrate took over 120 s beside a busy suite
    )


PRODUCTION = {
    "ECOGOV_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "ecogov.example.gov.cn",
}


def test_production_settings_pass_check_deploy_with_no_warnings(tmp_path):
    result = ecogov("check", "--deploy", "--fail-level", "DEBUG", env=PRODUCTION, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**PRODUCTION, "SECRET_KEY": ""}
    result = ecogov("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = ecogov("check", env={**PRODUCTION, "ALLOWED_HOSTS": ""}, tmp_path=tmp_path)
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_a_bad_environment_value_is_named(tmp_path):
    result = ecogov("check", env={"ECOGOV_ENV": "staging"}, tmp_path=tmp_path)
    assert "ECOGOV_ENV=staging" in result.stderr


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A var dir that ``migrate`` made from nothing with no environment at all: once per
    module (a migrate from nothing takes half a minute), copied by the tests that need it."""
    var = tmp_path_factory.mktemp("migrated")
    result = ecogov("migrate", "-v", "0", env={}, tmp_path=var)
    assert result.returncode == 0, result.stderr
    return var


def _copy(migrated, tmp_path):
    shutil.copytree(migrated, tmp_path, dirs_exist_ok=True)
    return tmp_path


def test_development_works_with_no_environment_at_all(migrated):
    assert (migrated / "ecogov.sqlite3").exists()
    assert (migrated / "secret_key").stat().st_mode & 0o777 == 0o600


def test_the_console_script_runs_the_product_commands(migrated, tmp_path):
    var = _copy(migrated, tmp_path)
    assert "23 units created" in ecogov("sample", "load", env={}, tmp_path=var).stdout
    listed = ecogov("units", "list", "--json", "--jurisdiction", "城中区", env={}, tmp_path=var)
    rows = json.loads(listed.stdout)
    assert len(rows) == 23


def test_ensureadmin_prints_a_generated_password_once(migrated, tmp_path):
    var = _copy(migrated, tmp_path)
    first = ecogov("ensureadmin", env={"ECOGOV_ADMIN_PASSWORD": ""}, tmp_path=var).stdout
    assert "password:" in first
    second = ecogov("ensureadmin", env={"ECOGOV_ADMIN_PASSWORD": ""}, tmp_path=var).stdout
    assert "password:" not in second and "exists" in second


def test_ensureadmin_refuses_a_weak_password(migrated, tmp_path):
    var = _copy(migrated, tmp_path)
    result = ecogov("ensureadmin", env={"ECOGOV_ADMIN_PASSWORD": "123"}, tmp_path=var)
    assert result.returncode != 0 and "too weak" in result.stderr


def test_production_static_files_collect_with_their_references(tmp_path):
    # The manifest storage fails on a file that a vendored asset names but that is
    # missing (leaflet.js names its source map), so this runs it as production does.
    result = ecogov("collectstatic", "--noinput", env=PRODUCTION, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "vendor/htmx/htmx.min.js" in manifest and "ecogov/app.css" in manifest


def test_with_a_redis_url_the_jobs_queue_on_redis(tmp_path):
    """Several consumers on several machines share one queue: huey on Redis. Building the
    queue connects to nothing, so no Redis server is needed to see it configured."""
    script = (
        "from huey.contrib.djhuey import HUEY; "
        "kwargs = HUEY.storage.conn.connection_pool.connection_kwargs; "
        "print(type(HUEY).__name__, kwargs['host'], kwargs['port'], kwargs['db'])"
    )
    env = {**PRODUCTION, "HUEY_REDIS_URL": "redis://10.0.0.5:6380/2"}
    result = ecogov("shell", "-c", script, env=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["RedisHuey", "10.0.0.5", "6380", "2"]
