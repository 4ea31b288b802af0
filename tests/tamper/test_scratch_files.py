"""Uploads on their way in stay private and inside the data directory, and what a killed process left of
them is swept when a web process starts; the SQLite database's files are Sijill's user's alone."""

import importlib
import os
import stat
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.db import connection

from records.upload import checked_upload
from sijill import scratch


def mode_of(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_upload_files_are_kept_in_a_private_folder_of_the_data_directory():
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
    assert folder.is_relative_to(settings.DATA_DIR)
    assert mode_of(folder) == 0o700
    upload = TemporaryUploadedFile("ruling.pdf", "application/pdf", 0, None)
    try:
        assert Path(upload.temporary_file_path()).parent == folder
    finally:
        upload.close()


def test_a_checked_upload_spools_into_the_same_folder(corpus_dir):
    # Past the in-memory part the spool becomes a file: it must be there, not in the system's /tmp.
    with open(corpus_dir / "scan-fr-ccass-com-2020-19-19463-p29.tif", "rb") as source, checked_upload("p29.tif", source) as checked:
        checked.file.rollover()
        where = os.readlink(f"/proc/self/fd/{checked.file.fileno()}")
    assert where.startswith(str(Path(settings.FILE_UPLOAD_TEMP_DIR)) + os.sep)


def test_the_folder_is_made_private_whatever_the_umask(tmp_path):
    previous = os.umask(0o022)
    try:
        folder = scratch.prepare(tmp_path / "data" / "tmp" / "uploads")
    finally:
        os.umask(previous)
    assert mode_of(folder) == 0o700


def test_the_sweep_removes_abandoned_uploads_and_leaves_live_ones(tmp_path):
    abandoned, live = tmp_path / "tmpa1b2.upload.pdf", tmp_path / "tmpc3d4.upload.pdf"
    abandoned.write_bytes(b"%PDF sealed, half written by a killed worker")
    live.write_bytes(b"%PDF still arriving")
    hours_ago = time.time() - 2 * 3600
    os.utime(abandoned, (hours_ago, hours_ago))
    assert scratch.sweep(tmp_path) == 1
    assert not abandoned.exists() and live.exists()


def test_a_web_process_sweeps_when_it_starts():
    left = Path(settings.FILE_UPLOAD_TEMP_DIR) / "tmpkilled.upload.pdf"
    left.write_bytes(b"%PDF sealed, left by a killed upload")
    hours_ago = time.time() - 2 * 3600
    os.utime(left, (hours_ago, hours_ago))
    import sijill.wsgi

    importlib.reload(sijill.wsgi)
    assert not left.exists()


@pytest.mark.django_db
def test_the_sqlite_database_files_are_private(tmp_path):
    # A database of its own, as `make run` opens it: the test database lives in memory.
    from django.db.backends.sqlite3.base import DatabaseWrapper

    path = tmp_path / "sijill.sqlite3"
    path.touch(mode=0o644)
    path.chmod(0o644)
    settings_dict = {**connection.settings_dict, "NAME": str(path), "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;"}}
    if connection.vendor != "sqlite":
        settings_dict = {**settings_dict, "ENGINE": "django.db.backends.sqlite3", "USER": "", "PASSWORD": "", "HOST": "", "PORT": ""}
    wrapper = DatabaseWrapper(settings_dict, alias="private-files")
    try:
        wrapper.ensure_connection()
        with wrapper.cursor() as cursor:
            cursor.execute("CREATE TABLE t (x)")
            cursor.execute("INSERT INTO t VALUES ('a sealed party name')")
        # The write-ahead log and its index hold the newest rows until a checkpoint: private as well.
        companions = {suffix: mode_of(f"{path}{suffix}") for suffix in ("-wal", "-shm")}
    finally:
        wrapper.close()
    assert mode_of(path) == 0o600
    assert companions == {"-wal": 0o600, "-shm": 0o600}
