"""Time certificate printing: 1,000 award certificates, Kazakh and Russian names side by side.

    .venv/bin/python bench/certificates.py [--count 1000] [--sample 50] [--runs 3] [--single-runs 9]

(a) the naive loop: each certificate rendered as its own document (WeasyPrint's default way,
    HTML(...).write_pdf() per certificate), timed on a sample before and a sample after the
    batches (the machine's load may change in between) and extrapolated from their mean;
(b) the app's batch print through its URL (POST .../awards/print, the job run within the
    request so the time is end to end, from the database query to the file on disk), --runs
    times with the print-job cache emptied in between: WeasyPrint lays out the shared
    background and one probe certificate, the worker pool stamps the certificates
    (forumapp/documents/stamping.py), pikepdf joins them; page count and order are checked;
(c) one certificate on demand through its URL (laid out by WeasyPrint), median of several;
(d) CPU time per page in one process: stamping vs WeasyPrint laying out whole pages (what a
    batch falls back to for a design the stamper cannot follow, and for PDF/A).
The worker pool is warmed first, as a running server has it warm after its first batch.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("FORUMAPP_SECRET_KEY", "bench")

from pypdf import PdfReader  # noqa: E402

from forumapp import create_app  # noqa: E402
from forumapp.accounts.services import create_user  # noqa: E402
from forumapp.awards import services  # noqa: E402
from forumapp.awards.models import Ceremony, CertificateDesign, Laureate, Nomination  # noqa: E402
from forumapp.directory.models import Organisation, Person  # noqa: E402
from forumapp.extensions import db  # noqa: E402
from forumapp.programme.models import Event, ProgrammeItem  # noqa: E402

FIRST = [("Гүлмира", "Гульмира"), ("Әсел", "Асель"), ("Даулет", "Даулет"), ("Ержан", "Ержан"),
         ("Айгүл", "Айгуль"), ("Нұрлан", "Нурлан"), ("Мәдина", "Мадина"), ("Қайрат", "Кайрат"),
         ("Ұлжан", "Улжан"), ("Іңкәр", "Инкар")]
LAST = [("Уақытова", "Уахитова"), ("Нұрланқызы", "Нурланкызы"), ("Бакберген", "Бакберген"),
        ("Сәрсенбаев", "Сарсенбаев"), ("Оспанова", "Оспанова"), ("Жұмабаев", "Жумабаев"),
        ("Қасымова", "Касымова"), ("Әбенов", "Абенов")]
PLACES = ["grand_prix", "first", "second", "third", "diploma"]


def build(count: int) -> Event:
    event = Event(slug="bench-forum", code="LIF-2016", status="published",
                  title={"kk": "Жеңіл өнеркәсіптің республикалық форумы", "ru": "Республиканский форум лёгкой промышленности"},
                  city={"kk": "Алматы", "ru": "Алматы"}, starts_on=date(2016, 6, 10), ends_on=date(2016, 6, 10))
    from datetime import datetime

    item = ProgrammeItem(event=event, kind="award_ceremony", status="published",
                         title={"kk": "Марапаттау салтанаты", "ru": "Церемония награждения"},
                         starts_at=datetime(2016, 6, 10, 11, 30), ends_at=datetime(2016, 6, 10, 12, 15))
    db.session.add_all([event, item])
    db.session.flush()
    ceremony = Ceremony(item_id=item.id)
    db.session.add(ceremony)
    organisations = [Organisation(name={"kk": f"«Тоқыма-{n}» ЖШС", "ru": f"ТОО «Текстиль-{n}»"}) for n in range(40)]
    db.session.add_all(organisations)
    per_nomination = 20
    for n in range(-(-count // per_nomination)):
        nomination = Nomination(ceremony=ceremony, position=n,
                                title={"kk": f"Жылдың үздік отандық өндірушісі №{n + 1}",
                                       "ru": f"Лучший отечественный производитель года №{n + 1}"})
        db.session.add(nomination)
        for k in range(min(per_nomination, count - n * per_nomination)):
            i = n * per_nomination + k
            (first_kk, first_ru), (last_kk, last_ru) = FIRST[i % 10], LAST[(i // 10) % 8]
            person = Person(name={"kk": f"{first_kk} {last_kk}", "ru": f"{first_ru} {last_ru}"},
                            organisation=organisations[i % 40])
            db.session.add(Laureate(nomination=nomination, person=person, organisation=organisations[i % 40],
                                    place=PLACES[k % 5], position=k,
                                    citation={"kk": "Саланы дамытуға қосқан үлесі үшін",
                                              "ru": "За вклад в развитие отрасли"}))
    design = CertificateDesign(event=event, name="Қазақша + Русский", base="classic_landscape", languages="kk,ru",
                               colours=dict(services.DEFAULT_COLOURS), texts={},
                               signatories=[{"name": "Гүлмира Уақытова", "position": "Төраға / Председатель"},
                                            {"name": "Даулет Бакберген", "position": "Директор"}])
    db.session.add(design)
    db.session.commit()
    services.issue(event, "award")
    return event


def naive_loop(app, event, sample: int) -> float:
    """Seconds per certificate when each is its own document, WeasyPrint's default way."""
    from weasyprint import HTML

    from forumapp.awards.printing import prepare, render_chunk
    from forumapp.documents.fetcher import BASE_URL
    from forumapp.documents.render import FONT_FACES_CSS, make_fetcher

    with app.test_request_context("/"):
        chosen = services.certificates_for(event, kind="award")[:sample]
        html_source, css_source, data, rows, _ = prepare(event, chosen, services.design_for(event), "http://forum.test/")
        started = time.perf_counter()
        for row in rows:
            html = render_chunk((html_source, css_source, data, [row]))  # one page, drawn whole
            html = html.replace("<style>", f"<style>{FONT_FACES_CSS}", 1)
            HTML(string=html, base_url=BASE_URL, url_fetcher=make_fetcher()).write_pdf()
        return (time.perf_counter() - started) / len(rows)


def cpu_per_page(app, event, count: int) -> tuple[float, float, float]:
    """CPU seconds per page of `count` certificates in this process alone (time.process_time, so
    other jobs on the machine hardly change it): stamped (drawing only), and laid out whole by
    WeasyPrint (layout, then PDF writing)."""
    from forumapp.awards import printing
    from forumapp.documents.render import join_documents, render_html
    from forumapp.documents.stamping import draw_pages

    with app.test_request_context("/"):
        chosen = services.certificates_for(event, kind="award")[:count]
        html_source, css_source, data, rows, _ = printing.prepare(event, chosen, services.design_for(event),
                                                                  "http://forum.test/")
        _background, plan, _refused = printing.stamp_layout(html_source, css_source, data, rows)
        started = time.process_time()
        draw_pages(plan, rows)
        stamped = time.process_time() - started
        started = time.process_time()
        document = render_html(printing.render_chunk((html_source, css_source, data, rows)))
        laid_out = time.process_time()
        join_documents([document])
        return stamped / len(rows), (laid_out - started) / len(rows), (time.process_time() - laid_out) / len(rows)


def batch_print(client) -> tuple[float, float, dict]:
    """One batch print through the URL, the job run within the request: (seconds, CPU seconds of
    this process, job status). The job cache is emptied first, so every page is drawn again."""
    from forumapp.awards.jobs import PRINTS_PREFIX
    from forumapp.awards.models import PrintJob
    from forumapp.storage import get_storage

    db.session.execute(db.delete(PrintJob))
    db.session.commit()
    storage = get_storage()
    for old in storage.list(PRINTS_PREFIX):
        storage.delete(old.key)
    started, cpu_started = time.perf_counter(), time.process_time()
    response = client.post("/manage/e/bench-forum/awards/print", data={"kind": "award"})
    status = client.get(response.headers["Location"] + ".json").get_json()
    return time.perf_counter() - started, time.process_time() - cpu_started, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--single-runs", type=int, default=9)
    parser.add_argument("--runs", type=int, default=3, help="batch prints (the median is reported)")
    parser.add_argument("--cpu-sample", type=int, default=200, help="pages for the one-process CPU time figure")
    args = parser.parse_args()
    print(f"load average (1, 5, 15 min) at the start: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3", "STORAGE_DIR": tmp,
                          "JOBS_EAGER": True, "WTF_CSRF_ENABLED": False, "SERVER_NAME": "forum.test"})
        app.instance_path = tmp
        with app.app_context():
            db.create_all()
            create_user("bench@example.kz", "bench-password", is_admin=True)
            event = build(args.count)
            client = app.test_client()
            client.post("/login", data={"email": "bench@example.kz", "password": "bench-password"})

            from forumapp.documents.batch import warm_up, workers

            started = time.perf_counter()
            warm_up(tmp)
            warm = time.perf_counter() - started

            naive_before = naive_loop(app, event, args.sample)
            load_before = os.getloadavg()[0]
            runs = [batch_print(client) for _ in range(args.runs)]
            load_after = os.getloadavg()[0]
            naive_after = naive_loop(app, event, args.sample)
            batch = statistics.median(run[0] for run in runs)
            batch_cpu = statistics.median(run[1] for run in runs)
            status = runs[-1][2]
            assert status["status"] == "done", status
            data = client.get(status["download"]).data
            reader = PdfReader(io.BytesIO(data))
            pages = len(reader.pages)
            numbers = [re.search(r"LIF-2016-\d{5}", reader.pages[i].extract_text()).group(0) for i in (0, pages - 1)]

            first_id = services.certificates_for(event, kind="award")[0].id
            single = []
            for _ in range(args.single_runs + 1):
                started = time.perf_counter()
                one = client.get(f"/manage/e/bench-forum/awards/certificates/{first_id}.pdf")
                single.append(time.perf_counter() - started)
                assert one.status_code == 200
            single_median = statistics.median(single[1:])

            per_certificate = (naive_before + naive_after) / 2
            stamp_cpu, layout_cpu, write_cpu = cpu_per_page(app, event, min(args.cpu_sample, args.count))
            naive = per_certificate * args.count

            print(f"{args.count} award certificates, Kazakh and Russian side by side, A4 landscape; {workers()} workers")
            print(f"(a) naive loop, one document per certificate: {per_certificate * 1000:.0f} ms each "
                  f"(samples of {args.sample}: {naive_before * 1000:.0f} ms before the batches, "
                  f"{naive_after * 1000:.0f} ms after) -> {naive:.1f} s for {args.count} (extrapolated)")
            print(f"(b) app batch print through its URL, median of {args.runs}: {batch:.2f} s   "
                  f"(runs: {', '.join(f'{run[0]:.2f}' for run in runs)})   pages: {pages}   first/last: {numbers}"
                  f"   PDF: {len(data) // 1024} KB   goal: < 8 s")
            print(f"    CPU of the web process during a batch: {batch_cpu:.2f} s (the rest is in the {workers()} "
                  f"workers); 1-min load average {load_before:.1f} before, {load_after:.1f} after")
            print(f"    ratio naive / app: {naive / batch:.1f}x   goal: >= 35x")
            print(f"(c) one certificate on demand, median of {args.single_runs}: {single_median * 1000:.0f} ms"
                  f"   (first request {single[0] * 1000:.0f} ms)   goal: < 150 ms")
            print(f"(d) CPU time per page, one process, {min(args.cpu_sample, args.count)} pages: stamped "
                  f"{stamp_cpu * 1000:.2f} ms; laid out whole by WeasyPrint {layout_cpu * 1000:.1f} ms + "
                  f"PDF writing {write_cpu * 1000:.1f} ms")
            print(f"worker pool warm-up (once per server start): {warm:.2f} s")
            print(f"load average (1, 5, 15 min) at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
