"""Domain errors of the records core: each names the problem, the object and, where there is one, the fix.

Views, the admin, the API and commands turn them into a message for the person who caused them.
"""

from django.utils.translation import gettext as _


class RecordsError(Exception):
    """Base class; `field` names the input the error is about, where there is one."""

    field = None

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field


class RecordDeclared(RecordsError):
    """A declared record's content or identity was about to change, or it was about to be deleted."""


class VersionImmutable(RecordsError):
    """A stored version was about to be rewritten or removed."""


class InvalidTransition(RecordsError):
    field = "status"


class DuplicateCaseNumber(RecordsError):
    field = "number"


class UploadRefused(RecordsError):
    """An uploaded file was refused before anything was stored; `code` says why."""

    field = "file"

    def __init__(self, message, *, code):
        super().__init__(message)
        self.code = code


class SameAsCurrentVersion(UploadRefused):
    """The file uploaded is byte for byte the document's current version: a new version would change nothing.

    Bytes equal to an older version are not refused: bringing them back is a legitimate re-instatement.
    """

    def __init__(self, name, version):
        super().__init__(
            _(
                "%(name)s is identical to version %(number)s, the current version of «%(title)s» (same SHA-256); "
                "nothing was stored. Upload the changed file instead."
            )
            % {"name": name, "number": version.number, "title": version.document.title},
            code="same_as_current",
        )
        self.version = version


class StorageFailure(RecordsError):
    """The originals storage could not keep a file; nothing was recorded."""

    field = "file"


class PageAlreadyRead(RecordsError):
    """The page already has its text (another worker wrote it first); the later reading is dropped."""
