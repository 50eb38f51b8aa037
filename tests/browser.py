"""A real Chromium (the OS package) driven over the DevTools protocol on a pipe: no driver, no extra library.

`Chromium().measure(path, width)` opens a local HTML file at a viewport of `width` CSS pixels (a phone at 390
emulates a mobile device, so a missing viewport meta tag shows as a 980 px layout) and returns what the page
measures about itself (see LAYOUT_JS). `find_chromium()` says why a browser check cannot run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
MOBILE_BELOW = 600

# Runs inside the page. An element "overflows" when it reaches past the viewport and no ancestor scrolls or
# clips it horizontally; figures must open with "Figure n." / "Table n." (appendix tables: "Table A1.").
LAYOUT_JS = r"""
(() => {
  const W = %(width)d;
  const clipped = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
    }
    return false;
  };
  const overflowing = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if ((r.right > W + 1 || r.left < -1) && !clipped(el))
      overflowing.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}` +
        `${el.className ? '.' + el.className : ''} (${Math.round(r.left)}-${Math.round(r.right)} px)`);
  }
  const ids = new Set([...document.querySelectorAll('[id]')].map(e => e.id));
  const anchors = [...document.querySelectorAll('a[href^="#"]')].map(a => a.getAttribute('href').slice(1));
  const figures = [...document.querySelectorAll('figure')].map(f => ({
    id: f.id, caption: ((f.querySelector('figcaption') || {}).textContent || '').trim().slice(0, 80)}));
  return JSON.stringify({
    width: W, scrollWidth: document.documentElement.scrollWidth, overflowing,
    brokenAnchors: anchors.filter(id => !ids.has(id)), anchors: anchors.length,
    unnumbered: figures.filter(f => !/^(Figure|Table) [A-Z]?\d+\./.test(f.caption)),
    figures: figures.length, images: document.querySelectorAll('figure img, figure svg').length,
    files: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))
             .filter(h => !h.startsWith('#') && !/^[a-z]+:/i.test(h)),
    chartTextPx: Math.min(...[...document.querySelectorAll('figure.chart svg text')]
                 .map(t => t.getBoundingClientRect().height).filter(h => h > 0), 99),
    stickyFirstColumn: (() => {
      const c = document.querySelector('.scroll td');
      return c ? getComputedStyle(c).position : null;
    })(),
    tocPosition: (() => { const n = document.querySelector('nav'); return n ? getComputedStyle(n).position : null; })(),
  });
})()
"""


def find_chromium() -> tuple[str | None, str]:
    """The browser executable, or None and why not (for pytest.skip)."""
    for name in CANDIDATES:
        exe = shutil.which(name)
        if exe:
            return exe, ""
    return None, (
        "Chromium is not installed (looked for " + ", ".join(CANDIDATES) + "); install the OS package "
        "`chromium` (.ci/run does so with apt-get) to run the browser checks"
    )


class Chromium:
    """One headless browser; use as a context manager."""

    def __init__(self, exe: str):
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()

        def pipes_as_3_and_4():  # --remote-debugging-pipe reads commands on fd 3 and writes replies on fd 4
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)

        self.profile = tempfile.mkdtemp(prefix="chromium-profile-")
        self.proc = subprocess.Popen(
            [
                exe,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--hide-scrollbars",
                "--remote-debugging-pipe",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            preexec_fn=pipes_as_3_and_4,
            close_fds=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._w = os.fdopen(to_child_w, "wb", buffering=0)
        self._r = os.fdopen(from_child_r, "rb", buffering=0)
        self._buf, self._id = b"", 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        try:
            self.send("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)

    def _receive(self) -> dict:
        while b"\0" not in self._buf:
            chunk = self._r.read(1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buf += chunk
        message, self._buf = self._buf.split(b"\0", 1)
        return json.loads(message)

    def send(self, method: str, session: str | None = None, **params) -> dict:
        self._id += 1
        message = {"id": self._id, "method": method, "params": params, **({"sessionId": session} if session else {})}
        self._w.write(json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    def _wait_for(self, event: str) -> None:
        while self._receive().get("method") != event:
            pass

    def _open(self, page: Path, width: int, height: int) -> tuple[str, str]:
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.send(
            "Emulation.setDeviceMetricsOverride",
            session,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=width < MOBILE_BELOW,
        )
        self.send("Page.enable", session)
        self.send("Page.navigate", session, url=page.resolve().as_uri())
        self._wait_for("Page.loadEventFired")
        return target, session

    def measure(self, page: Path, width: int, height: int = 900) -> dict:
        """Load `page` at a `width` px viewport and return LAYOUT_JS's measurements."""
        target, session = self._open(page, width, height)
        result = self.send("Runtime.evaluate", session, expression=LAYOUT_JS % {"width": width}, returnByValue=True)
        self.send("Target.closeTarget", targetId=target)
        return json.loads(result["result"]["value"])

    def screenshot(self, page: Path, width: int, out: Path, height: int = 900) -> None:
        """A PNG of the first `height` px of `page` at `width` px (to look at the report as a reader would)."""
        import base64

        target, session = self._open(page, width, height)
        out.write_bytes(base64.b64decode(self.send("Page.captureScreenshot", session, format="png")["data"]))
        self.send("Target.closeTarget", targetId=target)
