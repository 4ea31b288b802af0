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
