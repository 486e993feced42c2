"""The print-job progress page follows a background job without reloading."""


from forumapp.awards.models import PrintJob
from forumapp.extensions import db
from tests.conftest import make_event, make_user


def test_progress_page_polls_until_the_pdf_can_be_downloaded(app, live_server, browser):
    event = make_event()
    make_user(admin=True)
    job = PrintJob(event_id=event.id, scope="award::", fingerprint="f" * 64, status="running", done=1, total=4)
    db.session.add(job)
    db.session.commit()
    page = browser.new_context(locale="en-GB").new_page()
    page.goto(f"{live_server}/login?lang=en")
    page.fill("input[name=email]", "organiser@example.kz")
    page.fill("input[name=password]", "correct horse battery")
    page.click("button[type=submit]")
    page.goto(f"{live_server}/manage/e/test-forum/awards/jobs/{job.id}")
    assert page.locator("#job-text").inner_text() == "1 of 4 pages"
    assert page.locator("#job-download").is_hidden()

    from forumapp.storage import get_storage

    get_storage().save("prints/browser-test.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")
    job.status, job.done, job.result_path = "done", 4, "prints/browser-test.pdf"
    db.session.commit()
    page.locator("#job-download a").wait_for(state="visible", timeout=10_000)
    assert page.locator("#job-text").inner_text() == "4 of 4 pages"
    assert page.locator("#job-progress").evaluate("bar => bar.value === bar.max")
    assert page.locator("#job").get_attribute("data-state") == "done"
    page.context.close()
