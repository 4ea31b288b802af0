"""A small demo corpus that Sijill writes itself, for a clone with no corpus folder beside it.

It is written in the same form as the shared corpus (files plus MANIFEST.csv), so one loader serves
both. The texts are short specimens written for this demo, in English, French and Arabic.
"""

import csv
from pathlib import Path

FIELDS = [
    "file", "title", "jurisdiction", "court_or_body", "date", "language", "kind", "format", "pages",
    "source_repository", "source_path", "licence_note", "expected",
]

SPECIMENS = [
    {
        "file": "demo-judgment-en.txt",
        "title": "Amani Traders Ltd v. Coastal Freight Co., No. DEMO-2024-117",
        "court_or_body": "Demo High Court, Commercial Division",
        "date": "2024-05-14",
        "language": "eng",
        "kind": "judgment",
        "format": "text",
        "expected": "goods were delivered late",
        "text": (
            "JUDGMENT\n\nThe plaintiff claims damages because the goods were delivered late. "
            "The defendant admits the delay but says the contract excused it.\n\n"
            "The court finds that the clause relied on does not cover delays caused by the carrier's "
            "own scheduling. The claim succeeds and the defendant shall pay the agreed damages.\n"
        ),
    },
    {
        "file": "demo-judgment-en.pdf",
        "title": "Amani Traders Ltd v. Coastal Freight Co., No. DEMO-2024-117: signed copy",
        "court_or_body": "Demo High Court, Commercial Division",
        "date": "2024-05-14",
        "language": "eng",
        "kind": "judgment",
        "format": "born-digital-pdf",
        "expected": "goods were delivered late",
        "text": None,  # rendered from the text above
    },
    {
        "file": "demo-jugement-fr.txt",
        "title": "Tribunal de démonstration, jugement du 3 mars 2023, RG 2023000042",
        "court_or_body": "Tribunal de démonstration",
        "date": "2023-03-03",
        "language": "fra",
        "kind": "judgment",
        "format": "text",
        "expected": "délai de paiement",
        "text": (
            "JUGEMENT\n\nLe demandeur sollicite un délai de paiement de douze mois. "
            "Le défendeur s'y oppose.\n\nLe tribunal accorde un délai de paiement de six mois "
            "et rejette le surplus des demandes.\n"
        ),
    },
    {
        "file": "demo-hukm-ar.txt",
        "title": "حكم تجريبي — المحكمة التجريبية، القضية رقم No. 77/2022",
        "court_or_body": "المحكمة التجريبية",
        "date": "2022-11-20",
        "language": "ara",
        "kind": "judgment",
        "format": "text",
        "expected": "حكمت المحكمة",
        "text": (
            "بسم الله الرحمن الرحيم\n\nبعد الاطلاع على أوراق الدعوى وسماع أقوال الطرفين، "
            "حكمت المحكمة بإلزام المدعى عليه بأداء المبلغ المطالب به.\n"
        ),
    },
    {
        "file": "demo-law-en.txt",
        "title": "Demo Records Act, 2020",
        "court_or_body": "Demo Parliament",
        "date": "2020-01-15",
        "language": "eng",
        "kind": "legislation",
        "format": "text",
        "expected": "public records shall be kept",
        "text": (
            "DEMO RECORDS ACT, 2020\n\n1. All public records shall be kept in a manner that preserves "
            "their integrity.\n2. No record shall be destroyed except under an approved schedule.\n"
        ),
    },
]


def text_pdf(text):
    """A one-page PDF with `text` in Helvetica (ASCII only), enough to stand for a signed copy."""
    lines = [line.encode("ascii", "replace").decode().replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
             for line in text.splitlines()]
    stream = "BT /F1 11 Tf 60 780 Td 14 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def write_corpus(folder):
    """Write the specimens and their MANIFEST.csv into `folder`; returns the folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    english = SPECIMENS[0]["text"]
    with open(folder / "MANIFEST.csv", "w", newline="", encoding="utf-8") as manifest:
        writer = csv.DictWriter(manifest, fieldnames=FIELDS)
        writer.writeheader()
        for specimen in SPECIMENS:
            path = folder / specimen["file"]
            if specimen["text"] is None:
                path.write_bytes(text_pdf(english))
            else:
                path.write_text(specimen["text"], encoding="utf-8")
            row = {key: specimen.get(key, "") for key in FIELDS}
            row.update(jurisdiction="XX", pages="", source_repository="sijill", licence_note="Written for the Sijill demo")
            writer.writerow(row)
    return folder
