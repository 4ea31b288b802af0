"""Domain errors of the records core: each names the problem, the object and, where there is one, the fix.

Views, the admin, the API and commands turn them into a message for the person who caused them.
"""


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


class StorageFailure(RecordsError):
    """The originals storage could not keep a file; nothing was recorded."""

    field = "file"
