"""Imports every area's models so SQLAlchemy and Alembic see the whole schema."""

from forumapp.accounts.models import *  # noqa: F401,F403
from forumapp.api.models import *  # noqa: F401,F403
from forumapp.audit import recording  # noqa: F401,E402  (the flush hook that writes the event log)
from forumapp.audit.models import *  # noqa: F401,F403,E402
from forumapp.awards.models import *  # noqa: F401,F403
from forumapp.caching.versions import *  # noqa: F401,F403
from forumapp.directory.models import *  # noqa: F401,F403
from forumapp.installation import Installation  # noqa: F401,E402
from forumapp.matchmaking.models import *  # noqa: F401,F403
from forumapp.programme.models import *  # noqa: F401,F403
from forumapp.registration.models import *  # noqa: F401,F403
from forumapp.releases.models import *  # noqa: F401,F403
from forumapp.shows.models import *  # noqa: F401,F403
from forumapp.sponsors.models import *  # noqa: F401,F403
