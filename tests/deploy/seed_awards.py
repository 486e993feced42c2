"""An administrator and a small award ceremony with issued certificates, for the print-job
fault tests (`python -m tests.deploy.seed_awards COUNT`); prints the certificate numbers as JSON
in ceremony order."""

from __future__ import annotations

import json
import sys

from forumapp import create_app
from tests.conftest import make_user
from tests.deploy.seed import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.jobs.factories import many_certificates

if __name__ == "__main__":
    app = create_app()
    with app.app_context():
        make_user(ADMIN_EMAIL, ADMIN_PASSWORD, admin=True)
        event, certificates = many_certificates(int(sys.argv[1]))
        print(json.dumps({"event": event.slug, "numbers": [c.number for c in certificates]}))
