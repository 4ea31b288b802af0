"""A worker killed with SIGKILL mid-batch loses nothing: once workers run again, every page is done once.

Real processes on a database of their own (a SQLite file, or a new database on the run's PostgreSQL
server): a batch of scanned pages is filed with `manage.py ingest --no-wait`, two `manage.py worker`
processes read it, one is killed (kill -9) while it holds a page, and new workers finish the batch.
"""

import os
import signal
import subprocess

import pytest
from PIL import Image

from ingest import ocr
from tests.conftest import absent
from tests.ingest.live import LiveSite

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = 8
COUNTS = """
import json
from ingest.models import PageJob, Reading, BatchItem
from records.models import Page, PageText, Rendition
jobs = PageJob.objects
print(json.dumps({
    "pending": jobs.filter(state="pending").count(),
    "running": list(jobs.filter(state="running").values_list("number", "worker")),
    "done": jobs.filter(state="done").count(),
    "failed": list(jobs.filter(state="failed").values_list("number", "error")),
    "pages": Page.objects.count(),
    "numbers": sorted(Page.objects.values_list("number", flat=True)),
    "revisions": PageText.objects.count(),
    "previews": Rendition.objects.filter(kind="preview").count(),
    "whole_pdfs": Rendition.objects.filter(kind="searchable_pdf", page_number__isnull=True).count(),
    "attempts": sorted(jobs.values_list("attempts", flat=True)),
    "items": list(BatchItem.objects.values_list("state", flat=True)),
    "readings": list(Reading.objects.values_list("state", flat=True)),
}))
"""


SETUP = """
import json
from records.models import CaseType, Institution
from tests.factories import UserFactory
UserFactory(role="clerk", username="live-clerk")
Institution.objects.create(code="LIVE-CRT", name="Live Court", kind="court")
CaseType.objects.get_or_create(code="civil", defaults={"name": "Civil"})
print(json.dumps(True))
"""


@pytest.fixture
def site(tmp_path):
    if not ocr.tesseract_available():
        absent("Tesseract", "install tesseract-ocr")
    # A short lease, so the killed worker's page is claimed again within the test.
    live = LiveSite(tmp_path / "data", extra_env={"SIJILL_INGEST_LEASE_SECONDS": "20", "SIJILL_TASK_WORKERS": "2"})
    yield live
    live.close()


def _multipage_scan(corpus_dir, target):
    """A TIFF of PAGES scanned pages, as a scanner of a bound register gives them."""
    with Image.open(corpus_dir / "scan-us-scotus-2013-tarrant-v-herrmann-p7.tif") as page:
        frame = page.copy()
    frame.save(target, save_all=True, append_images=[frame] * (PAGES - 1), compression="group4", dpi=(300, 300))


def test_a_worker_killed_mid_batch_leaves_every_page_done_exactly_once(site, corpus_dir, tmp_path):
    folder = tmp_path / "box-17"
    folder.mkdir()
    _multipage_scan(corpus_dir, folder / "register.tif")
    (folder / "manifest.csv").write_text(
        "court,case_number,case_type,filing_date,file,languages\nLIVE-CRT,12/1998,civil,1998-03-02,register.tif,eng\n",
        encoding="utf-8",
    )
    site.python(SETUP)
    site.manage("ingest", str(folder), "--user", "live-clerk", "--no-wait")

    logs = [open(tmp_path / f"worker-{n}.log", "w") for n in (1, 2)]
    workers = [site.start("worker", "--queue-name", "*", "--no-reload", log=log) for log in logs]
    try:
        # Wait until a page is done and each worker holds one: then kill the first in the middle of its page.
        state = site.wait_for(COUNTS, lambda s: s["done"] >= 1 and len(s["running"]) == 2, timeout=240, every=0.2)
        victim = workers[0]
        victim_name = f":{victim.pid}"
        assert any(worker.endswith(victim_name) for _number, worker in state["running"]), state
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(timeout=10)
        workers[1].send_signal(signal.SIGTERM)  # the other stops after its page: only new workers go on
        workers[1].wait(timeout=120)
        stopped = site.python(COUNTS)
        assert stopped["pages"] < PAGES, "the batch finished before the kill; nothing was tested"

        # Workers run again (as after a restart): they recover the killed worker's page once its lease ends.
        again = [site.start("worker", "--queue-name", "*", "--no-reload", log=log) for log in logs]
        workers += again
        final = site.wait_for(COUNTS, lambda s: s["readings"] == ["done"], timeout=400, every=1)
    finally:
        for process in workers:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
        for log in logs:
            log.close()

    assert final["numbers"] == list(range(1, PAGES + 1))  # every page, each once (no gap, no double)
    assert final["revisions"] == PAGES and final["previews"] == PAGES
    assert final["done"] == PAGES and not final["failed"] and final["pending"] == 0 and not final["running"]
    assert max(final["attempts"]) >= 2  # the killed worker's page was claimed again
    assert final["items"] == ["done"] and final["whole_pdfs"] == 1
