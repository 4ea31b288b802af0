"""Fixity: the bytes in storage are still the bytes that were uploaded.

Each version's stored bytes are read again and hashed; a version whose bytes are missing, or whose
SHA-256 or size differs from what was recorded at upload, is a problem to report, never to repair here.
"""

from dataclasses import dataclass

from records import storage


@dataclass(frozen=True)
class FixityProblem:
    version: object
    kind: str  # "missing", "altered" or "unreadable"
    detail: str

    def __str__(self):
        version = self.version
        return (
            f"{self.kind.upper()}: version {version.number} of «{version.document.title}» "
            f"(version id {version.pk}, key {version.storage_key}): {self.detail}"
        )


def check_version(version):
    """The FixityProblem of one version, or None when its bytes are intact."""
    try:
        sha256, size = storage.digest(version.storage_key)
    except Exception as error:  # each storage backend says "missing" in its own way
        if not storage.exists(version.storage_key):
            return FixityProblem(version, "missing", "no bytes are stored under its key")
        return FixityProblem(version, "unreadable", str(error))
    if sha256 != version.sha256 or size != version.size:
        return FixityProblem(
            version,
            "altered",
            f"recorded SHA-256 {version.sha256} ({version.size} bytes), "
            f"stored bytes hash to {sha256} ({size} bytes)",
        )
    return None


def check_versions(versions, *, progress=None):
    """Check every version; `progress(done, problem)` is called after each. Returns the problems."""
    problems = []
    for done, version in enumerate(versions, start=1):
        problem = check_version(version)
        if problem:
            problems.append(problem)
        if progress:
            progress(done, problem)
    return problems
