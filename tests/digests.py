import hashlib
from pathlib import Path


def sha256_of(path):
    """The SHA-256 of a file on disk, to compare with what Sijill recorded for it."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
