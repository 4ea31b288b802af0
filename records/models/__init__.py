from records.models.access import Assignment, ClassificationChange, Clearance, ClearanceGrant, Mark, Route
from records.models.cases import (
    CaseFile,
    CaseType,
    LegacyNumber,
    Level,
    Party,
    PartyRole,
    Sex,
    StatusChange,
)
from records.models.documents import Document, DocumentKind, Version
from records.models.institutions import Institution, InstitutionKind

__all__ = [
    "Assignment",
    "Clearance",
    "ClearanceGrant",
    "ClassificationChange",
    "Mark",
    "CaseFile",
    "CaseType",
    "Document",
    "DocumentKind",
    "Institution",
    "InstitutionKind",
    "LegacyNumber",
    "Level",
    "Party",
    "Route",
    "PartyRole",
    "Sex",
    "StatusChange",
    "Version",
]
