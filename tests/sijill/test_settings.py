"""Settings come from the environment, read in one place, with defaults that are safe on one machine.

sijill.env.Env is tested with a plain dict. The settings module as a whole is imported in a fresh
interpreter with a controlled environment, as `manage.py` and gunicorn import it, and reports the
values it settled on as JSON; a refused configuration must stop that import with a message naming the
variable to fix.
"""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from sijill.env import Env
from tests.audit.databases import postgresql_only

REPOSITORY = Path(__file__).resolve().parents[2]
LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
GOOD_SECRET = "k" * 20 + "-not-a-real-key-but-long-enough-" + "z" * 20

PROBE = """
import json
from sijill import settings
print(json.dumps({
    name: getattr(settings, name)
    for name in ("DEBUG", "ALLOWED_HOSTS", "SECRET_KEY", "DATABASES", "STORAGES", "TASKS", "DATA_DIR",
                 "SESSION_COOKIE_SECURE", "SIJILL_MAX_UPLOAD_BYTES")
}, default=str))
"""


# Env, one type of value at a time ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected", [("1", True), ("yes", True), (" On ", True), ("0", False), ("off", False), ("", False)]
)
def test_booleans_accept_the_usual_spellings(raw, expected):
    assert Env({"SIJILL_DEBUG": raw}).bool("SIJILL_DEBUG", not expected) is expected


def test_an_absent_boolean_takes_its_default():
    assert Env({}).bool("SIJILL_HTTPS", True) is True
    assert Env({}).bool("SIJILL_HTTPS", False) is False


@pytest.mark.parametrize("raw", ["maybe", "2", "enabled", "yes please"])
def test_a_bad_boolean_names_the_variable(raw):
    with pytest.raises(ImproperlyConfigured, match="SIJILL_HTTPS") as refused:
        Env({"SIJILL_HTTPS": raw}).bool("SIJILL_HTTPS")
    assert repr(raw) in str(refused.value)


def test_integers_are_read_and_blank_means_the_default():
    assert Env({"SIJILL_MAX_UPLOAD_MB": " 250 "}).int("SIJILL_MAX_UPLOAD_MB", 1024, minimum=1) == 250
    assert Env({"SIJILL_MAX_UPLOAD_MB": ""}).int("SIJILL_MAX_UPLOAD_MB", 1024, minimum=1) == 1024
    assert Env({}).int("SIJILL_MAX_UPLOAD_MB", 1024, minimum=1) == 1024
    assert Env({"SIJILL_HSTS_SECONDS": "0"}).int("SIJILL_HSTS_SECONDS", 3600, minimum=0) == 0


@pytest.mark.parametrize("raw", ["ten", "1.5", "12MB", "1e3"])
def test_a_bad_integer_names_the_variable(raw):
    with pytest.raises(ImproperlyConfigured, match="SIJILL_MAX_UPLOAD_MB.*not a whole number"):
        Env({"SIJILL_MAX_UPLOAD_MB": raw}).int("SIJILL_MAX_UPLOAD_MB", 1024, minimum=1)


@pytest.mark.parametrize("raw", ["0", "-5"])
def test_an_integer_below_its_minimum_names_the_variable_and_the_minimum(raw):
    with pytest.raises(ImproperlyConfigured, match="SIJILL_MAX_UPLOAD_MB.*minimum of 1"):
        Env({"SIJILL_MAX_UPLOAD_MB": raw}).int("SIJILL_MAX_UPLOAD_MB", 1024, minimum=1)


def test_choices_are_case_insensitive_and_an_unknown_one_names_the_variable_and_the_choices():
    assert Env({"SIJILL_STORAGE": " S3 "}).choice("SIJILL_STORAGE", {"local", "s3"}, "local") == "s3"
    assert Env({}).choice("SIJILL_STORAGE", {"local", "s3"}, "local") == "local"
    assert Env({"SIJILL_STORAGE": ""}).choice("SIJILL_STORAGE", {"local", "s3"}, "local") == "local"
    with pytest.raises(ImproperlyConfigured, match="SIJILL_STORAGE='ftp' is not one of: local, s3"):
        Env({"SIJILL_STORAGE": "ftp"}).choice("SIJILL_STORAGE", {"local", "s3"}, "local")


def test_lists_split_on_commas_and_drop_blanks():
    env = Env({"SIJILL_ALLOWED_HOSTS": " court.example.org, records.example.org ,,localhost, "})
    hosts = env.list("SIJILL_ALLOWED_HOSTS", LOCAL_HOSTS)
    assert hosts == ["court.example.org", "records.example.org", "localhost"]
    assert Env({}).list("SIJILL_ALLOWED_HOSTS", LOCAL_HOSTS) == LOCAL_HOSTS
    assert Env({}).list("SIJILL_CSRF_TRUSTED_ORIGINS") == []


def test_strings_are_trimmed_and_paths_resolved(tmp_path):
    env = Env({"SIJILL_LANGUAGE": "  ar \n", "SIJILL_DATA_DIR": f" {tmp_path}/a/../b "})
    assert env.str("SIJILL_LANGUAGE") == "ar"
    assert env.str("SIJILL_TIME_ZONE", "UTC") == "UTC"
    assert env.path("SIJILL_DATA_DIR", "/elsewhere") == tmp_path / "b"
    assert Env({}).path("SIJILL_DATA_DIR", tmp_path / "x" / "..") == tmp_path


def test_env_reads_the_process_environment_by_default(monkeypatch):
    monkeypatch.setenv("SIJILL_TEST_ONLY_VARIABLE", "7")
    assert Env().int("SIJILL_TEST_ONLY_VARIABLE", 0) == 7


# The settings module, imported as a server imports it -------------------------------------------------


def clean_environment(data_dir, **variables):
    """The parent's environment without anything that configures Sijill, plus `variables`."""
    kept = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SIJILL_", "DJANGO_", "AWS_")) and name != "DATABASE_URL"
    }
    return {**kept, "SIJILL_DATA_DIR": str(data_dir), **variables}


def import_settings(data_dir, **variables):
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=REPOSITORY,
        env=clean_environment(data_dir, **variables),
        capture_output=True,
        text=True,
        timeout=60,
    )


def settings_with(data_dir, **variables):
    done = import_settings(data_dir, **variables)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def refusal(data_dir, **variables):
    """The message of the ImproperlyConfigured that stopped the import."""
    done = import_settings(data_dir, **variables)
    assert done.returncode != 0, f"the settings accepted {variables}"
    last_line = done.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: "), done.stderr
    return last_line.removeprefix("django.core.exceptions.ImproperlyConfigured: ")


def test_the_defaults_run_on_one_machine_without_any_service(tmp_path):
    data_dir = tmp_path / "data"  # does not exist yet: the settings create it
    settings = settings_with(data_dir)

    assert Path(settings["DATA_DIR"]) == data_dir and data_dir.is_dir()
    database = settings["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(database["NAME"]) == data_dir / "sijill.sqlite3"
    originals = settings["STORAGES"]["originals"]
    assert originals["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert Path(originals["OPTIONS"]["location"]) == data_dir / "originals"
    assert settings["DEBUG"] is False
    assert settings["ALLOWED_HOSTS"] == LOCAL_HOSTS
    assert settings["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert settings["SESSION_COOKIE_SECURE"] is False
    assert settings["SIJILL_MAX_UPLOAD_BYTES"] == 1024 * 1024 * 1024


def test_a_secret_key_is_generated_once_into_the_data_dir_readable_by_its_owner_only(tmp_path):
    first = settings_with(tmp_path)["SECRET_KEY"]
    key_file = tmp_path / "secret_key"

    assert len(first) >= 50
    assert key_file.read_text().strip() == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert settings_with(tmp_path)["SECRET_KEY"] == first  # sessions survive a restart
    assert settings_with(tmp_path / "other")["SECRET_KEY"] != first  # and each site has its own


def test_a_given_secret_key_is_used_and_nothing_is_written(tmp_path):
    assert settings_with(tmp_path, SIJILL_SECRET_KEY=GOOD_SECRET)["SECRET_KEY"] == GOOD_SECRET
    assert not (tmp_path / "secret_key").exists()


def test_a_short_secret_key_stops_start_up(tmp_path):
    assert "SIJILL_SECRET_KEY" in refusal(tmp_path, SIJILL_SECRET_KEY="too-short-to-sign-sessions")


def test_database_url_switches_to_postgresql(tmp_path):
    database = settings_with(tmp_path, DATABASE_URL="postgres://u:p@127.0.0.1:5432/x")["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == ("x", "u", "p")
    assert (database["HOST"], int(database["PORT"])) == ("127.0.0.1", 5432)


def test_postgresql_connections_turn_jit_off_unless_told_otherwise(tmp_path):
    url = "postgres://u:p@127.0.0.1:5432/x"
    default = settings_with(tmp_path, DATABASE_URL=url)["DATABASES"]["default"]
    assert default["OPTIONS"]["options"] == "-c jit=off"
    told = settings_with(tmp_path, DATABASE_URL=url, SIJILL_POSTGRES_OPTIONS="-c work_mem=64MB")
    assert told["DATABASES"]["default"]["OPTIONS"]["options"] == "-c work_mem=64MB"
    left = settings_with(tmp_path, DATABASE_URL=url, SIJILL_POSTGRES_OPTIONS="")["DATABASES"]["default"]
    assert "options" not in left.get("OPTIONS", {})


@postgresql_only
@pytest.mark.django_db
def test_the_test_database_connection_runs_without_jit():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_an_unreadable_database_url_stops_start_up(tmp_path):
    assert "DATABASE_URL" in refusal(tmp_path, DATABASE_URL="nonsense://somewhere/x")


def test_s3_storage_needs_a_bucket(tmp_path):
    assert "SIJILL_S3_BUCKET" in refusal(tmp_path, SIJILL_STORAGE="s3")


def test_s3_storage_is_configured_from_the_environment(tmp_path):
    originals = settings_with(
        tmp_path,
        SIJILL_STORAGE="s3",
        SIJILL_S3_BUCKET="court-originals",
        SIJILL_S3_ENDPOINT_URL="https://s3.example.org",
        SIJILL_S3_REGION="af-south-1",
        SIJILL_S3_ACCESS_KEY_ID="AKIDEXAMPLE",
        SIJILL_S3_SECRET_ACCESS_KEY="secret-example",
    )["STORAGES"]["originals"]

    assert originals["BACKEND"] == "storages.backends.s3.S3Storage"
    options = originals["OPTIONS"]
    assert options["bucket_name"] == "court-originals"
    assert options["endpoint_url"] == "https://s3.example.org"
    assert options["region_name"] == "af-south-1"
    assert (options["access_key"], options["secret_key"]) == ("AKIDEXAMPLE", "secret-example")
    assert options["file_overwrite"] is False  # an original is never replaced under the same key


def test_s3_without_keys_leaves_credentials_to_boto3(tmp_path):
    storages = settings_with(tmp_path, SIJILL_STORAGE="s3", SIJILL_S3_BUCKET="b")["STORAGES"]
    options = storages["originals"]["OPTIONS"]
    assert options["access_key"] is None and options["secret_key"] is None
    assert options["endpoint_url"] is None and options["region_name"] is None


def test_an_unknown_storage_stops_start_up(tmp_path):
    assert "SIJILL_STORAGE" in refusal(tmp_path, SIJILL_STORAGE="ftp")


def test_debug_on_a_served_host_stops_start_up(tmp_path):
    message = refusal(tmp_path, SIJILL_DEBUG="1", SIJILL_ALLOWED_HOSTS="court.example.org")
    assert "SIJILL_DEBUG" in message and "court.example.org" in message


def test_debug_on_local_hosts_is_allowed(tmp_path):
    settings = settings_with(tmp_path, SIJILL_DEBUG="1")
    assert settings["DEBUG"] is True and settings["ALLOWED_HOSTS"] == LOCAL_HOSTS


def test_served_hosts_come_from_the_environment(tmp_path):
    settings = settings_with(tmp_path, SIJILL_ALLOWED_HOSTS="court.example.org, records.example.org")
    assert settings["ALLOWED_HOSTS"] == ["court.example.org", "records.example.org"]
    assert settings["DEBUG"] is False


@pytest.mark.parametrize(
    "variable, value",
    [
        ("SIJILL_DEBUG", "perhaps"),
        ("SIJILL_HTTPS", "sure"),
        ("SIJILL_MAX_UPLOAD_MB", "0"),
        ("SIJILL_MAX_UPLOAD_MB", "lots"),
    ],
)
def test_a_badly_written_value_stops_start_up_naming_the_variable(tmp_path, variable, value):
    assert variable in refusal(tmp_path, **{variable: value})


def test_https_makes_cookies_secure(tmp_path):
    assert settings_with(tmp_path, SIJILL_HTTPS="1")["SESSION_COOKIE_SECURE"] is True
