"""The roles of a registry, as Django permissions: what each may do with the items it can see.

Seeing is the access rule's (records.access: clearance, marks, assignment); a role only decides the acts.
Installations map their own groups to these lists; the demo and the tests use them as they are.
"""

READER = [
    "wagtailadmin.access_admin",
    "records.view_casefile",
    "records.view_party",
    "records.view_legacynumber",
    "records.view_document",
    "records.view_version",
    "records.view_institution",
    "records.view_casetype",
]
CLERK = READER + [
    "records.add_casefile",
    "records.change_casefile",
    "records.add_party",
    "records.change_party",
    "records.delete_party",
    "records.add_legacynumber",
    "records.change_legacynumber",
    "records.delete_legacynumber",
    "records.add_document",
    "records.change_document",
]
REGISTRAR = CLERK + [
    "records.declare_document",
    "records.delete_document",
    "records.delete_casefile",
    "records.add_institution",
    "records.change_institution",
    "records.add_casetype",
    "records.change_casetype",
    "records.classify_casefile",
    "records.classify_document",
    "records.assign_casefile",
    "records.view_route",
    "records.add_route",
    "records.change_route",
    "records.delete_route",
    "audit.view_auditevent",
    "audit.export_auditevent",
]
# A judge reads the cases assigned to them and orders their classification (sealing, lifting a seal).
JUDGE = READER + ["records.classify_casefile", "records.classify_document"]
AUDITOR = ["wagtailadmin.access_admin", "audit.view_auditevent", "audit.export_auditevent"]

ROLES = {"clerk": CLERK, "registrar": REGISTRAR, "judge": JUDGE, "auditor": AUDITOR}
