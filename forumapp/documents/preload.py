"""Imported once by the forkserver (forumapp.documents.isolated.PRELOAD), before it forks any
child: WeasyPrint, Jinja and the awards modules are imported, and the bundled fonts configured
by laying out one line, so every child (an own design's render, a batch worker) starts warm.
That saves about half a second per child. The forkserver has no threads, so forking after
fontconfig and Pango are set up is safe."""

import logging

from forumapp.awards import own_designs  # noqa: F401 (imported for the children)
from forumapp.documents.render import warm_fonts

try:
    warm_fonts()
except Exception:  # only a head start: an exception here would end the forkserver itself
    logging.getLogger(__name__).exception("could not set up the fonts in the forkserver")
