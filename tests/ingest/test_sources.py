"""Batch sources: a folder or a ZIP, read without a name leading outside it, and ZIP bombs refused."""

import csv
import io
import os
import shutil
import stat
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.test import override_settings

from ingest.manifest import Known
from ingest.sources import FolderSource, SourceError, ZipSource, load

TODAY = date(2026, 12, 2)
KNOWN = Known.of(courts=[("JED-COM", "Commercial Court in Jeddah")], case_types=["commercial"])
HEADER = ["court", "case_number", "case_type", "filing_date", "title", "languages", "file"]
JEDDAH = "sa-jeddah-commercial-court-2022-08-03-ahkam-43292.txt"
SCAN = "scan-sa-jeddah-commercial-court-2022-08-03-ahkam-43292-p1.jpg"
TITLE = "حكم المحكمة التجارية"


def manifest_bytes(*files):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for number, name in enumerate(files, start=1):
        writer.writerow(["JED-COM", f"43292/{number}", "commercial", "2022-03-01", TITLE, "ara", name])
    return out.getvalue().encode("utf-8")


@pytest.fixture
def batch(tmp_path, corpus_dir):
    """A batch folder holding two real corpus files, the Jeddah judgment's text and its scan."""
    folder = tmp_path / "batch"
    (folder / "scans").mkdir(parents=True)
    shutil.copy(corpus_dir / JEDDAH, folder / JEDDAH)
    shutil.copy(corpus_dir / SCAN, folder / "scans" / SCAN)
    return folder


def problems(manifest):
    return [(problem.row, problem.column, problem.message) for problem in manifest.problems]


# Folders --------------------------------------------------------------------------------------------


def test_folder_happy_path_reads_the_real_files(batch, corpus_dir):
    (batch / "manifest.csv").write_bytes(manifest_bytes(JEDDAH, f"scans/{SCAN}"))
    with FolderSource(batch) as source:
        manifest = load(source, KNOWN, today=TODAY)
        assert manifest.problems == []
        assert [row.file for row in manifest.rows] == [JEDDAH, f"scans/{SCAN}"]
        with source.open(manifest.rows[1].file) as handle:
            assert handle.read() == (corpus_dir / SCAN).read_bytes()


def test_folder_path_problems_are_per_row_and_the_other_rows_go_on(batch, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("sealed")
    (batch / "link-out.txt").symlink_to(outside)
    (batch / "linked-dir").symlink_to(tmp_path)
    (batch / "inner-link.txt").symlink_to(batch / JEDDAH)
    rows = [
        "../secret.txt",
        "/etc/passwd",
        "link-out.txt",
        "linked-dir/secret.txt",
        "missing.pdf",
        JEDDAH,
        JEDDAH,
        "inner-link.txt",
    ]
    (batch / "manifest.csv").write_bytes(manifest_bytes(*rows))
    manifest = load(FolderSource(batch), KNOWN, today=TODAY)
    found = problems(manifest)
    assert [(row, column) for row, column, _m in found] == [(row, "file") for row in (2, 3, 4, 5, 6, 8)]
    assert "climbs out of the batch folder" in found[0][2]
    assert "absolute path" in found[1][2]
    assert found[2][2] == f"link-out.txt is a link leading to {outside}, outside the batch folder."
    assert found[3][2] == f"linked-dir/secret.txt is a link leading to {outside}, outside the batch folder."
    assert found[4][2] == f"missing.pdf is not in the batch folder {batch}."
    assert found[5][2] == f"{JEDDAH} is already named on row 7."
    assert [row.row for row in manifest.rows] == [7, 9]  # a link staying inside the folder is followed


def test_open_refuses_a_link_outside_and_one_swapped_in_after_the_check(batch, tmp_path, monkeypatch):
    outside = tmp_path / "secret.txt"
    outside.write_text("sealed")
    source = FolderSource(batch)
    assert source.check(JEDDAH) is None
    (batch / "out.txt").symlink_to(outside)
    with pytest.raises(SourceError, match="outside the batch folder"):
        source.open("out.txt")
    # The race: the name resolved to a plain file, then a link replaced it before the open.
    checked = batch / JEDDAH
    monkeypatch.setattr(source, "_resolved", lambda name: (checked, None))
    checked.unlink()
    checked.symlink_to(outside)
    with pytest.raises(SourceError) as refused:
        source.open(JEDDAH)
    assert refused.value.message.startswith(f"{JEDDAH} cannot be opened:")


def test_a_folder_with_several_csv_files_and_no_manifest_csv_is_refused(batch):
    (batch / "a.csv").write_bytes(manifest_bytes(JEDDAH))
    (batch / "b.csv").write_bytes(manifest_bytes(JEDDAH))
    with pytest.raises(SourceError, match=r"several CSV files \(a.csv, b.csv\)"):
        load(FolderSource(batch), KNOWN, today=TODAY)


# ZIPs -----------------------------------------------------------------------------------------------


def make_zip(path, entries, *, links=()):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        for name, target in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return path


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


def scratch_left(data_dir):
    folder = Path(data_dir) / "tmp" / "ingest"
    return list(folder.iterdir()) if folder.exists() else []


def test_zip_happy_path_extracts_privately_and_cleans_up(tmp_path, corpus_dir, data_dir):
    text = (corpus_dir / JEDDAH).read_bytes()
    archive = make_zip(tmp_path / "b.zip", {"manifest.csv": manifest_bytes(JEDDAH), JEDDAH: text})
    with ZipSource(archive) as source:
        assert source.root.is_relative_to(Path(data_dir).resolve())
        assert stat.S_IMODE(source.root.stat().st_mode) == 0o700
        manifest = load(source, KNOWN, today=TODAY)
        assert manifest.problems == []
        with source.open(manifest.rows[0].file) as handle:
            assert handle.read() == text
    assert scratch_left(data_dir) == []


def test_zip_climbing_absolute_drive_and_symlink_entries_are_refused(tmp_path, data_dir):
    entries = {
        "../evil.txt": b"x",
        "/abs.txt": b"x",
        "C:/drive.txt": b"x",
        "ok.txt": b"fine",
        "manifest.csv": manifest_bytes("ok.txt", "link.txt"),
    }
    archive = make_zip(tmp_path / "b.zip", entries, links=[("link.txt", "/etc/passwd")])
    with ZipSource(archive) as source:
        assert not (tmp_path / "evil.txt").exists()
        manifest = load(source, KNOWN, today=TODAY)
        assert not (source.root / "link.txt").exists()
    found = problems(manifest)
    assert found[:3] == [
        (0, "", "../evil.txt climbs out of the batch folder through '..'."),
        (0, "", "/abs.txt is an absolute path; name the file relative to the batch folder."),
        (0, "", "C:/drive.txt is an absolute path; name the file relative to the batch folder."),
    ]
    assert found[3] == (
        3,
        "file",
        "link.txt is a symbolic link in the ZIP; links are not accepted, put the file itself.",
    )
    assert [row.file for row in manifest.rows] == ["ok.txt"]


def test_zip_entry_too_compressible_is_refused_as_a_bomb(tmp_path, data_dir):
    archive = make_zip(
        tmp_path / "b.zip",
        {"manifest.csv": manifest_bytes("bomb.pdf", "ok.txt"), "bomb.pdf": b"\0" * (4 << 20), "ok.txt": b"ok"},
    )
    with ZipSource(archive) as source:
        manifest = load(source, KNOWN, today=TODAY)
        assert not (source.root / "bomb.pdf").exists()
    assert [(row, column) for row, column, _m in problems(manifest)] == [(2, "file")]
    assert "looks like a ZIP bomb" in manifest.problems[0].message
    assert [row.file for row in manifest.rows] == ["ok.txt"]


def test_zip_declared_total_over_the_limit_refuses_the_archive(tmp_path, data_dir):
    archive = make_zip(tmp_path / "b.zip", {"manifest.csv": manifest_bytes("a.txt"), "a.txt": os.urandom(200_000)})
    with override_settings(SIJILL_INGEST_MAX_ZIP_BYTES=100_000), pytest.raises(SourceError, match="ZIP bomb"):
        ZipSource(archive)
    assert scratch_left(data_dir) == []


def _lie_about_size(archive, name, declared):
    """Rewrite the central directory's uncompressed size of `name` (offset 24 of its record)."""
    raw = bytearray(archive.read_bytes())
    central = raw.rfind(b"PK\x01\x02")
    while raw[central + 46 : central + 46 + len(name)] != name.encode():
        central = raw.rfind(b"PK\x01\x02", 0, central)
    raw[central + 24 : central + 28] = declared.to_bytes(4, "little")
    archive.write_bytes(bytes(raw))


def test_zip_lying_about_its_sizes_is_refused(tmp_path, data_dir):
    archive = make_zip(
        tmp_path / "b.zip",
        {"manifest.csv": manifest_bytes("a.bin", "ok.txt"), "a.bin": os.urandom(300_000), "ok.txt": b"ok"},
    )
    _lie_about_size(archive, "a.bin", 1000)
    with ZipSource(archive) as source:
        assert source.refused["a.bin"].startswith("a.bin cannot be extracted from the ZIP: Bad CRC-32")
        assert not (source.root / "a.bin").exists()
        manifest = load(source, KNOWN, today=TODAY)
    assert [(row, column) for row, column, _m in problems(manifest)] == [(2, "file")]
    assert [row.file for row in manifest.rows] == ["ok.txt"]


def test_bytes_are_counted_while_extracting_whatever_the_reader_yields(tmp_path, data_dir, monkeypatch):
    """zipfile stops at the declared size itself; the count is the guard should a reader not."""
    archive = make_zip(tmp_path / "b.zip", {"manifest.csv": manifest_bytes("a.bin"), "a.bin": b"x" * 1000})
    real_open = zipfile.ZipFile.open

    def generous_open(self, member, *args, **kwargs):
        if getattr(member, "filename", member) == "a.bin":
            return io.BytesIO(b"x" * 5000)
        return real_open(self, member, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", generous_open)
    with ZipSource(archive) as source:
        assert (
            source.refused["a.bin"] == "a.bin holds more bytes than its declared size of 1000; the ZIP lies about it."
        )
        assert not (source.root / "a.bin").exists()
    with override_settings(SIJILL_INGEST_MAX_ZIP_BYTES=3000), pytest.raises(SourceError, match="would extract to"):
        ZipSource(archive)
    assert scratch_left(data_dir) == []


def test_zip_with_too_many_entries_is_refused(tmp_path, data_dir):
    archive = make_zip(tmp_path / "b.zip", {f"{n}.txt": b"x" for n in range(12)})
    with override_settings(SIJILL_INGEST_MAX_ZIP_ENTRIES=10), pytest.raises(SourceError, match="12 entries"):
        ZipSource(archive)


@pytest.mark.parametrize("cut", ["truncated", "not a zip"])
def test_a_bad_zip_is_a_clear_error(tmp_path, corpus_dir, data_dir, cut):
    archive = make_zip(
        tmp_path / "b.zip", {"manifest.csv": manifest_bytes(JEDDAH), JEDDAH: (corpus_dir / JEDDAH).read_bytes()}
    )
    raw = archive.read_bytes()
    archive.write_bytes(raw[: len(raw) // 2] if cut == "truncated" else (corpus_dir / JEDDAH).read_bytes())
    with pytest.raises(SourceError) as refused:
        ZipSource(archive)
    assert str(archive) in refused.value.message
    assert "is not a readable ZIP archive" in refused.value.message
    assert scratch_left(data_dir) == []


def test_zip_with_no_manifest_is_refused(tmp_path, data_dir):
    archive = make_zip(tmp_path / "b.zip", {"a.txt": b"x"})
    with ZipSource(archive) as source, pytest.raises(SourceError, match="holds no manifest"):
        load(source, KNOWN, today=TODAY)


def test_zip_entry_over_the_per_file_limit_is_refused_for_its_row(tmp_path, data_dir):
    archive = make_zip(
        tmp_path / "b.zip",
        {"manifest.csv": manifest_bytes("big.pdf", "ok.txt"), "big.pdf": os.urandom(5000), "ok.txt": b"ok"},
    )
    with override_settings(SIJILL_INGEST_MAX_ENTRY_BYTES=4096), ZipSource(archive) as source:
        manifest = load(source, KNOWN, today=TODAY)
        assert stat.S_IMODE((source.root / "ok.txt").stat().st_mode) == 0o600
    assert problems(manifest) == [
        (2, "file", "big.pdf is 5000 bytes uncompressed, more than the 4096 allowed for one file.")
    ]
    assert "Row 2, file: big.pdf is 5000 bytes uncompressed" in manifest.report()
    assert [row.file for row in manifest.rows] == ["ok.txt"]
