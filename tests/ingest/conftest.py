"""What the ingest tests share: a court and case types, a batch folder with a manifest, and a drain that
does the background work here and now."""

import pytest

from ingest import work
from records.models import CaseType, Institution
from tests.factories import UserFactory

HEADER = "court,case_number,legacy_numbers,case_type,filing_date,judgment_date,closure_date,party_names,party_roles,dates_of_birth,document_kind,title,languages,box,file"


@pytest.fixture
def court(db):
    """The court the batches' cases belong to, with the case types a manifest names."""
    CaseType.objects.get_or_create(code="civil", defaults={"name": "Civil"})
    juvenile, _ = CaseType.objects.get_or_create(code="juvenile", defaults={"name": "Juvenile"})
    return Institution.objects.create(code="KGL-HC", name="High Court of Kigali", kind="court")


@pytest.fixture
def filing_clerk(db):
    """A registry clerk cleared for internal items: registers cases and files documents."""
    return UserFactory(role="clerk", username="filing-clerk")


@pytest.fixture
def batch_folder(tmp_path, corpus_dir):
    """Make a batch folder: `make({name_in_folder: corpus file or bytes}, manifest_rows)`."""
    folder = tmp_path / "batch"
    folder.mkdir()

    def make(files, rows, *, header=HEADER):
        for name, content in files.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content if isinstance(content, bytes) else (corpus_dir / content).read_bytes())
        (folder / "manifest.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
        return folder

    return make


def drain_all():
    """Do every unit of background work in this process, as a worker would; returns how many."""
    done = 0
    while (count := work.drain.call()) :
        done += count
    return done
