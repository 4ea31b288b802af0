from records.models.access import Assignment, ClassificationChange, Clearance, Mark
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
    "PartyRole",
    "Sex",
    "StatusChange",
    "Version",
]
