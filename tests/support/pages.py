"""What every page must pass in a real browser, at 1280 px and on a 390 px phone.

`page_audit` loads a page at both widths and checks: no sideways scrolling, no errors in the
browser console, and axe-core (from npm, run inside the page) finds no serious or critical
violation. It writes a screenshot of each width to `.screenshots/` (git-ignored) to look at.
"""

from pathlib import Path
from urllib.parse import urlsplit

from saas.access.handoff import handoff_url
from tests.support.browser import live_url
from tests.support.stores import store_host

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / ".screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def console_sign_in(page, live_server, store, seller=None) -> None:
    """Sign the browser in to `store`'s host the way the platform does: a hand-off link."""
    url = handoff_url(seller=seller or store.owner, store=store)
    parts = urlsplit(url)
    page.goto(live_url(live_server, store_host(store), f"{parts.path}?{parts.query}"))


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def sideways_overflow(page) -> int:
    """How many pixels the page is wider than the viewport (0 when it fits)."""
    return page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - document.documentElement.clientWidth"
    )


def page_audit(page, url: str, name: str) -> dict:
    """Load `url` at each width; return the findings per width (empty lists when it passes)."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    SCREENSHOTS.mkdir(exist_ok=True)
    findings = {}
    for width_name, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.goto(url)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width_name}.png"), full_page=True)
        findings[width_name] = {
            "overflow_px": sideways_overflow(page),
            "axe": axe_violations(page),
            "console_errors": list(errors),
        }
        errors.clear()
    return findings


def audit_passes(findings: dict) -> dict:
    """The same shape with only what failed, so `assert audit_passes(f) == {}` shows it all."""
    failed = {}
    for width_name, found in findings.items():
        bad = {key: value for key, value in found.items() if value}
        if bad:
            failed[width_name] = bad
    return failed
