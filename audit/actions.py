"""What an audit event says happened: the stored values, and their labels for screens and exports."""

from django.utils.translation import gettext_lazy as _

CREATE = "create"
CHANGE = "change"
DELETE = "delete"
CLASSIFY = "classify"
ASSIGN = "assign"
UNASSIGN = "unassign"
CLEARANCE = "clearance"
CLEARANCE_PROPOSED = "clearance_proposed"
CLEARANCE_DECLINED = "clearance_declined"
GROUPS = "groups"
NUMBER_CONFLICT = "number_conflict"
VIEW = "view"
DOWNLOAD = "download"
SEARCH = "search"
EXPORT = "export"
LOGIN = "login"
LOGIN_FAILED = "login_failed"
LOGOUT = "logout"
REFUSED = "refused"
STATUS_CHANGE = "status_change"
ADD_VERSION = "add_version"
REVERT = "revert"
DECLARE = "declare"
QUARANTINE = "quarantine"
CORRECT_TEXT = "correct_text"

LABELS = {
    CREATE: _("Created"),
    CHANGE: _("Changed"),
    DELETE: _("Deleted"),
    CLASSIFY: _("Classified"),
    ASSIGN: _("Assigned"),
    UNASSIGN: _("Unassigned"),
    CLEARANCE: _("Clearance set"),
    CLEARANCE_PROPOSED: _("Clearance proposed"),
    CLEARANCE_DECLINED: _("Clearance grant declined"),
    GROUPS: _("Group membership changed"),
    NUMBER_CONFLICT: _("Case number also used by this case"),
    VIEW: _("Viewed"),
    DOWNLOAD: _("Downloaded"),
    SEARCH: _("Searched"),
    EXPORT: _("Exported"),
    LOGIN: _("Signed in"),
    LOGIN_FAILED: _("Sign-in failed"),
    LOGOUT: _("Signed out"),
    REFUSED: _("Access refused"),
    STATUS_CHANGE: _("Status changed"),
    ADD_VERSION: _("Version added"),
    REVERT: _("Reverted to an earlier version"),
    DECLARE: _("Declared a record"),
    QUARANTINE: _("Stray file moved to quarantine"),
    CORRECT_TEXT: _("Page text corrected"),
}
