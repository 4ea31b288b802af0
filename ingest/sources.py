"""Where a batch's files come from: a folder, or a ZIP of one, read without letting a name lead outside.

A manifest row may only name a file inside the batch. An absolute path, a `..`, or a link (the file or
any folder above it) that resolves outside the batch folder is refused, as is a missing file: each is a
problem of that row, and the batch's other rows are still checked. A file is opened with O_NOFOLLOW, so a
link swapped in for it after the check is refused rather than followed (a swapped parent folder is not
caught; the batch folder is the clerk's own, so that race is accepted).

A ZIP is checked before a byte is written: entry names with `..`, absolute names, drive letters and
symlink entries are refused (the rows naming them get the problem); too many entries, or declared sizes
over the limits, refuse the whole archive (a ZIP bomb tells nothing trustworthy about its other entries);
an entry whose compression ratio is implausible is refused. While extracting, the bytes are counted, since
declared sizes can lie: an entry that grows past its declared size is refused, and a total past the limit
refuses the archive. Entries are extracted into a private folder (0700) under the data directory, never
the system's shared temporary folder, removed on close().

The manifest is `manifest.csv` at the root of the folder or ZIP (any letter case), or else the only .csv
file there.

Limits, in settings (read at each use, defaults below):
  SIJILL_INGEST_MAX_ZIP_BYTES    total uncompressed size of a ZIP (default 8 GiB)
  SIJILL_INGEST_MAX_ENTRY_BYTES  one entry's uncompressed size (default SIJILL_MAX_UPLOAD_BYTES, or 1 GiB)
  SIJILL_INGEST_MAX_ZIP_ENTRIES  number of entries (default 20,000)
  SIJILL_INGEST_MAX_ZIP_RATIO    uncompressed / compressed size of an entry over 1 MiB (default 200)
"""

import os
import posixpath
import re
import shutil
import stat
import tempfile
import zipfile
from pathlib import Path, PurePosixPath, PureWindowsPath

from django.conf import settings
from django.utils.translation import gettext as _

from ingest import scratch_copy
from ingest.manifest import read_manifest
from records.errors import RecordsError

MANIFEST_NAME = "manifest.csv"
RATIO_FLOOR = 1024 * 1024  # smaller entries may compress as well as they like: a blank page does
_CHUNK = 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")


class SourceError(RecordsError):
    """The batch as a whole cannot be read (not a ZIP, truncated, a ZIP bomb, no manifest)."""


def limit(name):
    defaults = {
        "SIJILL_INGEST_MAX_ZIP_BYTES": 8 * 1024**3,
        "SIJILL_INGEST_MAX_ENTRY_BYTES": getattr(settings, "SIJILL_MAX_UPLOAD_BYTES", 1024**3),
        "SIJILL_INGEST_MAX_ZIP_ENTRIES": 20_000,
        "SIJILL_INGEST_MAX_ZIP_RATIO": 200,
    }
    return getattr(settings, name, defaults[name])


def path_problem(name):
    """Why `name` may not name a file of a batch, from its spelling alone; None if it may."""
    if not name:
        return _("The file name is empty.")
    if "\x00" in name:
        return _("The file name %(path)r holds a NUL character.") % {"path": name}
    if PurePosixPath(name).is_absolute() or PureWindowsPath(name).anchor or _DRIVE.match(name):
        return _("%(path)s is an absolute path; name the file relative to the batch folder.") % {"path": name}
    if ".." in name.replace("\\", "/").split("/"):
        return _("%(path)s climbs out of the batch folder through '..'.") % {"path": name}
    return None


def _normal(name):
    return posixpath.normpath(name.replace("\\", "/"))


class FolderSource:
    """The files of a batch folder; `check(name)` says why a row's file cannot be used, `open(name)` reads it."""

    def __init__(self, folder, *, label=None):
        self.folder = Path(folder)
        self.root = self.folder.resolve()
        self.label = label or str(folder)
        if not self.root.is_dir():
            raise SourceError(_("%(folder)s is not a folder.") % {"folder": self.label})

    def manifest_name(self):
        found = [entry.name for entry in os.scandir(self.root) if entry.is_file(follow_symlinks=False)]
        return _choose_manifest(found, self.label)

    def manifest_bytes(self):
        name = self.manifest_name()
        with self.open(name) as handle:
            return handle.read()

    def _resolved(self, name):
        """(absolute path inside the folder, None) or (None, problem)."""
        if problem := path_problem(name):
            return None, problem
        candidate = self.root / _normal(name)
        try:
            resolved = candidate.resolve()
        except (OSError, RuntimeError) as error:  # a link loop
            return None, _("%(path)s cannot be resolved: %(error)s") % {"path": name, "error": error}
        if not resolved.is_relative_to(self.root):
            return None, _("%(path)s is a link leading to %(target)s, outside the batch folder.") % {
                "path": name,
                "target": resolved,
            }
        return resolved, None

    def check(self, name):
        resolved, problem = self._resolved(name)
        if problem:
            return problem
        try:
            mode = os.stat(resolved, follow_symlinks=False).st_mode
        except FileNotFoundError:
            return self._missing(name)
        except OSError as error:
            return _("%(path)s cannot be read: %(error)s") % {"path": name, "error": error.strerror}
        if not stat.S_ISREG(mode):
            return _("%(path)s is not a file.") % {"path": name}
        return None

    def _missing(self, name):
        return _("%(path)s is not in the batch folder %(folder)s.") % {"path": name, "folder": self.label}

    def open(self, name):
        """A binary file object; SourceError naming the path if the file may not or cannot be opened."""
        resolved, problem = self._resolved(name)
        if problem:
            raise SourceError(problem, field="file")
        try:
            descriptor = os.open(resolved, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
        except FileNotFoundError as error:
            raise SourceError(self._missing(name), field="file") from error
        except OSError as error:  # ELOOP: a link was swapped in after the check
            raise SourceError(
                _("%(path)s cannot be opened: %(error)s") % {"path": name, "error": error.strerror}, field="file"
            ) from error
        handle = os.fdopen(descriptor, "rb")
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            handle.close()
            raise SourceError(_("%(path)s is not a file.") % {"path": name}, field="file")
        return handle

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


class ZipSource(FolderSource):
    """A ZIP of a batch folder, checked and extracted into a private folder; close() removes it.

    `refused` maps each refused entry's name to why; a row naming it gets that problem.
    """

    def __init__(self, archive, *, label=None):
        if label is None:
            label = str(archive) if isinstance(archive, str | os.PathLike) else str(getattr(archive, "name", "ZIP"))
        self.label = label
        self.refused = {}
        self.temporary = None
        try:
            with zipfile.ZipFile(archive) as opened:
                entries = self._checked_entries(opened)
                self.temporary = Path(tempfile.mkdtemp(prefix="batch-", dir=scratch_copy.folder()))
                self._extract(opened, entries)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as error:
            self.close()
            raise SourceError(
                _("%(path)s is not a readable ZIP archive (%(error)s); it may be truncated. Make the ZIP again.")
                % {"path": self.label, "error": error}
            ) from error
        except BaseException:
            self.close()
            raise
        super().__init__(self.temporary, label=self.label)

    def _checked_entries(self, opened):
        infos = opened.infolist()
        if len(infos) > limit("SIJILL_INGEST_MAX_ZIP_ENTRIES"):
            raise SourceError(
                _("%(path)s holds %(count)d entries, more than the %(limit)d allowed; split the batch.")
                % {"path": self.label, "count": len(infos), "limit": limit("SIJILL_INGEST_MAX_ZIP_ENTRIES")}
            )
        declared = sum(info.file_size for info in infos)
        if declared > limit("SIJILL_INGEST_MAX_ZIP_BYTES"):
            raise SourceError(self._too_big(declared))
        entries = {}
        for info in infos:
            name = info.filename
            if info.is_dir() and not path_problem(name):
                continue
            problem = self._entry_problem(info)
            normal = _normal(name) if not path_problem(name) else name
            if problem is None and normal in entries:
                problem = _("%(path)s appears twice in the ZIP.") % {"path": name}
            if problem:
                self.refused[normal] = problem
            else:
                entries[normal] = info
        return entries

    def _entry_problem(self, info):
        name = info.filename
        if problem := path_problem(name):
            return problem
        if stat.S_ISLNK(info.external_attr >> 16):
            return _("%(path)s is a symbolic link in the ZIP; links are not accepted, put the file itself.") % {
                "path": name
            }
        if info.file_size > limit("SIJILL_INGEST_MAX_ENTRY_BYTES"):
            return self._entry_too_big(name, info.file_size)
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > limit("SIJILL_INGEST_MAX_ZIP_RATIO"):
            return _(
                "%(path)s would grow %(ratio)d times when extracted, more than the %(limit)d allowed; it looks "
                "like a ZIP bomb."
            ) % {"path": name, "ratio": ratio, "limit": limit("SIJILL_INGEST_MAX_ZIP_RATIO")}
        return None

    def _too_big(self, size):
        return _(
            "%(path)s would extract to %(size)d bytes, more than the %(limit)d allowed (SIJILL_INGEST_MAX_ZIP_BYTES); "
            "it may be a ZIP bomb, or the batch must be split."
        ) % {"path": self.label, "size": size, "limit": limit("SIJILL_INGEST_MAX_ZIP_BYTES")}

    def _entry_too_big(self, name, size):
        return _("%(path)s is %(size)d bytes uncompressed, more than the %(limit)d allowed for one file.") % {
            "path": name,
            "size": size,
            "limit": limit("SIJILL_INGEST_MAX_ENTRY_BYTES"),
        }

    def _extract(self, opened, entries):
        total = 0
        for name, info in entries.items():
            target = self.temporary / name
            try:
                target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                total, problem = self._copy(opened, info, target, total)
            except (zipfile.BadZipFile, OSError, EOFError) as error:
                problem = _("%(path)s cannot be extracted from the ZIP: %(error)s") % {"path": name, "error": error}
            if problem:
                target.unlink(missing_ok=True)
                self.refused[name] = problem

    def _copy(self, opened, info, target, total):
        """Copy one entry counting its real bytes: (new total, None) or (total, why the entry is refused)."""
        entry_limit = min(info.file_size, limit("SIJILL_INGEST_MAX_ENTRY_BYTES"))
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        written = 0
        with opened.open(info) as source, os.fdopen(os.open(target, flags, 0o600), "wb") as sink:
            while chunk := source.read(_CHUNK):
                written += len(chunk)
                if total + written > limit("SIJILL_INGEST_MAX_ZIP_BYTES"):
                    raise SourceError(self._too_big(total + written))
                if written > info.file_size:
                    return total, _(
                        "%(path)s holds more bytes than its declared size of %(size)d; the ZIP lies about it."
                    ) % {"path": info.filename, "size": info.file_size}
                if written > entry_limit:
                    return total, self._entry_too_big(info.filename, written)
                sink.write(chunk)
        return total + written, None

    def _missing(self, name):
        return _("%(path)s is not in the ZIP %(zip)s.") % {"path": name, "zip": self.label}

    def check(self, name):
        if not path_problem(name) and (problem := self.refused.get(_normal(name))):
            return problem
        return super().check(name)

    def manifest_name(self):
        names = [name for name in self.refused if "/" not in name] + [
            entry.name for entry in os.scandir(self.root) if entry.is_file(follow_symlinks=False)
        ]
        chosen = _choose_manifest(names, self.label)
        if chosen in self.refused:
            raise SourceError(
                _("The manifest %(name)s was refused: %(problem)s") % {"name": chosen, "problem": self.refused[chosen]}
            )
        return chosen

    def close(self):
        if self.temporary is not None:
            shutil.rmtree(self.temporary, ignore_errors=True)
            self.temporary = None



def _choose_manifest(names, label):
    named = [name for name in names if name.casefold() == MANIFEST_NAME]
    if len(named) == 1:
        return named[0]
    csvs = [name for name in names if name.casefold().endswith(".csv")]
    if len(csvs) == 1:
        return csvs[0]
    if not csvs:
        raise SourceError(
            _("%(path)s holds no manifest; put %(name)s at its top.") % {"path": label, "name": MANIFEST_NAME}
        )
    raise SourceError(
        _("%(path)s holds several CSV files (%(names)s) and none is %(name)s; name the manifest %(name)s.")
        % {"path": label, "names": ", ".join(sorted(csvs)), "name": MANIFEST_NAME}
    )


def load(source, known, *, today=None):
    """The batch's Manifest, its rows' files checked against `source`: a bad file is a problem of its row.

    Refused ZIP entries no row names are reported for the batch (row 0), so nothing the clerk gave is
    dropped without a word. Raises SourceError only when the manifest itself cannot be had.
    """
    manifest_name = source.manifest_name()
    named = set()

    def check_file(name):
        named.add(_normal(name))
        return source.check(name)

    manifest = read_manifest(source.manifest_bytes(), known, today=today, check_file=check_file)
    for name, problem in getattr(source, "refused", {}).items():
        if name not in named and name != manifest_name:
            manifest.add(0, "", problem)
    manifest.sort()
    return manifest
