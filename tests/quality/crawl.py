"""Walk the app's pages as a visitor or an organiser would, following the links on each page."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest

TOOLS = Path(__file__).resolve().parents[1] / "tools" / "node_modules"
VNU_JAR = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = TOOLS / "axe-core" / "axe.min.js"

# Links that change state or leave the HTML pages (downloads are checked elsewhere).
_SKIP = re.compile(r"/logout|/static/|/media/|\.(pdf|ics|json|xml|csv|xlsx|png|jpg|svg|ico)(\?|$)")
_HREF = re.compile(r'href="([^"#]+)')


def require_tool(path: Path) -> Path:
    """The checker's file, installed by .ci/run (npm ci --prefix tests/tools). CI fails without
    it; elsewhere the test is skipped with the command that installs it."""
    if path.exists():
        return path
    message = f"{path.name} missing: npm ci --ignore-scripts --prefix tests/tools"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def crawl(client, start: list[str], limit: int = 200, per_pattern: int = 3) -> dict[str, str]:
    """HTML of the pages reachable from `start`: path -> page text. At most `per_pattern` pages
    whose paths differ only in numbers (item 1, item 2...), so every kind of page is seen
    without visiting all of them."""
    pages: dict[str, str] = {}
    seen_patterns: dict[str, int] = {}
    queue = list(start)
    while queue and len(pages) < limit:
        path = urldefrag(queue.pop(0)).url
        pattern = re.sub(r"\d+", "N", urlsplit(path).path) + ("?" if "?" in path else "")
        if path in pages or _SKIP.search(path) or seen_patterns.get(pattern, 0) >= per_pattern:
            continue
        seen_patterns[pattern] = seen_patterns.get(pattern, 0) + 1
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        pages[path] = html
        for href in _HREF.findall(html):
            href = href.replace("&amp;", "&")
            if href.startswith("/") and not href.startswith("//"):
                queue.append(href)
    return pages
