"""Fixtures shared by every test: isolated storage, users by role, clients, the real corpus, S3."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db.backends.base.operations import BaseDatabaseOperations

from tests import factories
from tests.audit.tampering import guards_lifted

UNDER_CI = os.environ.get("CI", "").lower() == "true"


def absent(component, install_hint):
    """Skip for an absent component, except under CI=true where `make test` should have installed it."""
    message = f"{component} is not available ({install_hint})"
    if UNDER_CI:
        pytest.fail(f"{message}; under CI the README's test command must provide it", pytrace=False)
    pytest.skip(message)


@pytest.fixture(autouse=True, scope="session")
def flushable_audit_trail():
    """Transactional tests end by emptying every table, which the audit trail's triggers refuse; the
    flush alone goes past them."""
    flush = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with guards_lifted(self.connection):
            flush(self, sql_list)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseDatabaseOperations, "execute_sql_flush", execute_sql_flush)
        yield


@pytest.fixture(autouse=True)
def originals_dir(settings, tmp_path):
    """Every test writes originals into its own folder, so no test sees another's files."""
    location = tmp_path / "originals"
    settings.STORAGES = {
        **settings.STORAGES,
        "originals": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        },
        "renditions": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "renditions", "base_url": None},
        },
    }
    return location


@pytest.fixture
def corpus_dir():
    """The shared corpus of real decisions and legislation beside the checkout."""
    path = Path(django_settings.CORPUS_DIR)
    if not (path / "MANIFEST.csv").exists():
        absent("The shared corpus", f"expected at {path}; set SIJILL_CORPUS_DIR")
    return path


@pytest.fixture
def corpus_file(corpus_dir):
    """Open a corpus file by its name: the bytes of a real document, as an upload would bring them."""
    opened = []

    def open_file(name):
        handle = open(corpus_dir / name, "rb")
        opened.append(handle)
        return handle

    yield open_file
    for handle in opened:
        handle.close()


@pytest.fixture
def clerk(db):
    """A registry clerk: registers cases and documents, uploads versions; cannot declare or delete."""
    return factories.UserFactory(role="clerk")


@pytest.fixture
def registrar(db):
    """A registrar: a clerk who may also declare records and delete what was registered by mistake."""
    return factories.UserFactory(role="registrar")


@pytest.fixture
def outsider(db):
    """Signed in, but with no rights over records."""
    return factories.UserFactory()


@pytest.fixture
def superuser(db):
    """An administrator."""
    return factories.UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def clerk_client(client, clerk):
    """A browser session signed in as the clerk."""
    client.force_login(clerk)
    return client


@pytest.fixture
def registrar_client(client, registrar):
    """A browser session signed in as the registrar."""
    client.force_login(registrar)
    return client


@pytest.fixture(scope="session")
def s3_endpoint():
    """A real S3-compatible server (moto in server mode) over HTTP on 127.0.0.1."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        absent("moto's S3 server", "install the test extras: pip install -e '.[test]'")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_originals(settings, s3_endpoint, request):
    """Originals stored in a fresh bucket of the S3 server, through django-storages and boto3."""
    import boto3

    bucket = f"sijill-test-{abs(hash(request.node.nodeid)) % 10**10}"
    credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **credentials)
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "originals": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "access_key": "testing",
                "secret_key": "testing",
                "location": "originals",
                "file_overwrite": False,
                "default_acl": None,
            },
        },
    }
    yield client, bucket
    objects = client.list_objects_v2(Bucket=bucket).get("Contents", [])
    for stored in objects:
        client.delete_object(Bucket=bucket, Key=stored["Key"])
    client.delete_bucket(Bucket=bucket)


@pytest.fixture(params=["local", "s3"])
def any_originals(request):
    """Runs a test once with local files and once with S3 object storage."""
    if request.param == "s3":
        return request.getfixturevalue("s3_originals")
    return request.getfixturevalue("originals_dir")


@pytest.fixture(scope="session")
def chromium_path():
    """Debian's Chromium, which Playwright drives (a browser download is impossible here)."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        absent("Chromium", "as root `make test` installs it; otherwise: sudo apt-get install -y chromium")
    return path


@pytest.fixture(autouse=True)
def audit_anchor_dir(settings, tmp_path):
    """Every test keeps the audit trail's anchors in its own folder, as verify_audit writes one each run."""
    settings.SIJILL_AUDIT_ANCHOR_DIR = tmp_path / "audit-anchors"
    return settings.SIJILL_AUDIT_ANCHOR_DIR
