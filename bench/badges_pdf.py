"""Time a batch of name badges: one WeasyPrint document for the whole batch, against a naive
baseline that renders one PDF per badge (and would then have to merge them).

    .venv/bin/python bench/badges_pdf.py [--registrations 240]

The forum is the one of bench/checkin_scan.py (85 % of registrations confirmed).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from checkin_scan import build_forum, create_app, db  # noqa: E402

from forumapp.registration import badges  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--registrations", type=int, default=240)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3", "STORAGE_DIR": tmp,
                      "SERVER_NAME": "bench.test"})
    with app.app_context(), app.test_request_context():
        db.create_all()
        event = build_forum(args.registrations)
        warm = badges.BadgeOptions()
        badges.badges_pdf(event, badges.badge_registrations(event, warm)[:4], warm)  # fonts, templates
        print(f"{'':28} {'badges':>6} {'pages':>6} {'seconds':>8} {'ms/badge':>9} {'KiB':>6}")
        for layout in ("a6", "a4x4"):
            for with_qr in (True, False):
                options = badges.BadgeOptions(layout=layout, with_qr=with_qr)
                registrations = badges.badge_registrations(event, options)
                started = time.perf_counter()
                pdf = badges.badges_pdf(event, registrations, options)
                elapsed = time.perf_counter() - started
                label = f"{layout}, {'with' if with_qr else 'no'} QR, one document"
                print(f"{label:28} {len(registrations):6} {pdf.page_count:6} {elapsed:8.2f} "
                      f"{elapsed * 1000 / len(registrations):9.1f} {len(pdf.data) // 1024:6}")
        options = badges.BadgeOptions(layout="a6")
        registrations = badges.badge_registrations(event, options)[:60]
        started = time.perf_counter()
        size = sum(len(badges.badges_pdf(event, [r], options).data) for r in registrations)
        elapsed = time.perf_counter() - started
        print(f"{'naive: a PDF per a6 badge':28} {len(registrations):6} {len(registrations):6} {elapsed:8.2f} "
              f"{elapsed * 1000 / len(registrations):9.1f} {size // 1024:6}")
        db.drop_all()


if __name__ == "__main__":
    main()
