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
from records.models.pages import Page, PageText, Rendition, RenditionKind, TextSource

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
    "Page",
    "PageText",
    "PartyRole",
    "Rendition",
    "RenditionKind",
    "Sex",
    "StatusChange",
    "TextSource",
    "Version",
]
