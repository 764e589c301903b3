"""Headless Chromium for the sign-off tests: screenshot and rendered DOM, no driver needed."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
)


def find_chromium() -> str | None:
    return next((path for name in CANDIDATES if (path := shutil.which(name))), None)


class Browser:
    def __init__(self, executable: str, profile_root: Path) -> None:
        self.executable = executable
        self.profile_root = profile_root
        self._runs = 0

    def _run(self, url: str, *extra: str, budget_ms: int = 8000) -> subprocess.CompletedProcess[str]:
        self._runs += 1
        profile = self.profile_root / f"profile-{self._runs}"  # a fresh profile every time
        cmd = [self.executable, *FLAGS, f"--user-data-dir={profile}", f"--virtual-time-budget={budget_ms}", *extra, url]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)

    def dom(self, url: str) -> str:
        done = self._run(url, "--dump-dom")
        if done.returncode != 0 or not done.stdout.strip():
            raise AssertionError(f"chromium could not render {url}: {done.stderr[-500:]}")
        return done.stdout

    def screenshot(self, url: str, target: Path, *, size: str = "1400,1200") -> Path:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        done = self._run(url, f"--screenshot={target}", f"--window-size={size}")
        if not target.is_file():
            raise AssertionError(f"chromium made no screenshot of {url}: {done.stderr[-500:]}")
        return target


def visible_text(dom: str) -> str:
    """The text a person sees: scripts, styles and tags dropped, whitespace collapsed."""
    text = re.sub(r"<(script|style|template)\b.*?</\1>", " ", dom, flags=re.S | re.I)
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("&nbsp;", " ").replace("&amp;", "&").replace("&#x27;", "'").replace("&#39;", "'")
    return re.sub(r"\s+", " ", text)
