"""Pages of the small forum used by the programme tests, read in each language."""

from tests.programme.conftest import small_forum  # noqa: F401  (fixture)
