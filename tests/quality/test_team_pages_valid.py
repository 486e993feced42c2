"""The pages of issue #17's organiser journeys are valid HTML, with data and with errors: the
event log, the copy form, the laureates' import preview, the certificates list, a print job and
the check-in desk with search results."""

from __future__ import annotations

import sqlalchemy as sa

from forumapp.awards.models import PrintJob
from forumapp.extensions import db
from forumapp.programme.models import Event, ProgrammeItem
from tests.conftest import csrf_token
from tests.quality.test_html_validity import _validate


def test_the_new_organiser_pages_are_valid_html(organiser_client, demo_forum, tmp_path):
    slug = demo_forum["slug"]
    client = organiser_client
    event = db.session.scalar(sa.select(Event).filter_by(slug=slug))
    ceremony = db.session.scalar(sa.select(ProgrammeItem).filter_by(event_id=event.id, kind="award_ceremony"))
    job = PrintJob(event_id=event.id, scope="kind:award", fingerprint="2" * 64, status="running", done=3, total=9)
    db.session.add(job)
    db.session.commit()
    pages = {}
    for path in (f"/manage/e/{slug}/log", f"/manage/e/{slug}/log?kind=registration&page=1",
                 f"/manage/e/{slug}/copy", f"/manage/e/{slug}/awards/certificates?q=a",
                 f"/manage/e/{slug}/awards/c/{ceremony.id}/laureates", f"/manage/e/{slug}/awards/jobs/{job.id}",
                 f"/manage/e/{slug}/awards/c/{ceremony.id}", f"/manage/e/{slug}/checkin?q=a"):
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = response.get_data(as_text=True)
    copy = f"/manage/e/{slug}/copy"
    pages[f"{copy} (rejected)"] = client.post(copy, data={"csrf_token": csrf_token(client, copy), "slug": slug}).get_data(
        as_text=True)
    bulk = f"/manage/e/{slug}/awards/c/{ceremony.id}/laureates"
    preview = client.post(bulk, data={"csrf_token": csrf_token(client, bulk), "nomination_id": "0", "step": "preview",
                                      "rows": "Nowhere\tSomebody New\t\t7\nx\t\t\t1"})
    pages[f"{bulk} (preview)"] = preview.get_data(as_text=True)
    assert "Rows ready" in pages[f"{bulk} (preview)"]
    errors = _validate(pages, tmp_path)
    assert not errors, "\n".join(errors[:40])
