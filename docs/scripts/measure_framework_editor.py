"""Time the framework page editor, and a lot's offering questions page, in a real browser.

Not a test: figures from a shared machine vary too much to assert on. Used for
docs/performance.md. Seed a scratch database and serve it, then run this against it:

    export DATABASE_URL=sqlite:////tmp/h8.sqlite3
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_demo --offerings 100
    .venv/bin/python manage.py runserver 127.0.0.1:8020 --noreload &
    PYTHONPATH=. .venv/bin/python docs/scripts/measure_framework_editor.py http://127.0.0.1:8020

It signs in as the GMCA framework manager (a test client session with a verified second
factor, its cookie handed to Chromium), opens each page `--runs` times after one warm-up load
and prints the median of each figure, from the browser's Navigation Timing entry: server time
(request sent to first byte), load event, and the elements and form fields on the page.
"""

import argparse
import contextlib
import os
import statistics

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.dev")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from playwright.sync_api import sync_playwright  # noqa: E402

from frameworks.models import FrameworkPage  # noqa: E402
from marketplace.accounts.models import User  # noqa: E402
from tests.helpers import sign_in_with_second_factor  # noqa: E402

FIGURES = """() => {
  const n = performance.getEntriesByType('navigation')[0];
  return {
    server_ms: n.responseStart - n.requestStart,
    load_event_ms: n.loadEventEnd,
    elements: document.querySelectorAll('*').length,
    inputs: document.querySelectorAll('input, select, textarea').length,
  };
}"""


def session_cookie(email: str) -> str:
    client = Client()
    sign_in_with_second_factor(client, User.objects.get(email=email))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def measure(page, url: str, runs: int) -> dict:
    page.goto(url, wait_until="load")  # warm-up: caches, compiled templates
    samples = []
    for _ in range(runs):
        page.goto(url, wait_until="load")
        samples.append(page.evaluate(FIGURES))
    return {name: statistics.median(s[name] for s in samples) for name in samples[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url", help="where runserver answers, e.g. http://127.0.0.1:8020")
    parser.add_argument("--reference", default="GMCA-ICT-2026")
    parser.add_argument("--email", default="manager@gmca.example.gov.uk")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()

    framework = FrameworkPage.objects.get(reference=args.reference)
    draft = framework.get_latest_revision_as_object()
    lots = sorted(draft.lots.all(), key=lambda lot: len(lot.attribute_schema), reverse=True)
    pages = {"framework editor": reverse("wagtailadmin_pages:edit", args=(framework.pk,))}
    with contextlib.suppress(NoReverseMatch):  # the code before the questions had their page
        pages[f"questions of lot {lots[0].number}"] = reverse(
            "frameworks_admin:lot-questions", args=(framework.pk, lots[0].number)
        )
    host = args.base_url.split("//", 1)[1].split(":")[0]
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(args.email)}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium)
        context = browser.new_context()
        context.add_cookies([{**cookie, "domain": host, "path": "/"}])
        page = context.new_page()
        print(f"{framework.title} ({args.reference}): {len(lots)} lots, median of {args.runs}")
        for name, path in pages.items():
            figures = measure(page, f"{args.base_url}{path}", args.runs)
            print(
                f"{name}: server {figures['server_ms'] / 1000:.2f} s, "
                f"load event {figures['load_event_ms'] / 1000:.2f} s, "
                f"{figures['elements']:.0f} elements, {figures['inputs']:.0f} form fields"
            )
        browser.close()


if __name__ == "__main__":
    main()
