"""The sealed-bid canary (issue 13): a bid carries a canary string in a text answer, a social
value commitment, a document's content and its file name. Before the deadline the canary is
nowhere: not in any database column, audit event, stored or temporary file, export, log
record, e-mail or admin page. From the deadline it is exactly where it was put.

Each search is first shown to find a canary planted where it looks, so a search that could
never find anything cannot pass for a clean result.

The buyer's and supplier's pages call `assert_no_canary_in_pages(client, urls)` from their
own tests, with the pages a bid's content could reach.
"""

import json
import logging
import os
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from wagtail.admin.viewsets import viewsets
from wagtail.snippets.models import get_snippet_models

import pytest

from marketplace.audit import services as audit
from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.competitions.models import Clarification, Competition
from marketplace.competitions.selectors.bids import open_bid_document, unsealed_bids
from marketplace.competitions.services.bids import add_bid_document, save_bid
from tests import factories
from tests.audit.conftest import checkpoint_storage  # noqa: F401 (fixture)
from tests.competitions.factories import appointed_supplier

pytestmark = pytest.mark.django_db

CANARY = "CANARY-e41d07-sealed-bid-service"
CANARY_BYTES = CANARY.encode()
# Larger temporary files than this are not ours: a bid document is capped far below it.
TEMP_FILE_READ_LIMIT = 64 * 1024 * 1024


def contains_canary(value) -> bool:
    """Whether a value read back from anywhere holds the canary: text, bytes (memoryview on
    PostgreSQL), or anything else JSON or str() can spell out (JSON columns, numbers)."""
    if value is None:
        return False
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes | bytearray):
        return CANARY_BYTES in value
    if isinstance(value, str):
        return CANARY in value
    try:
        return CANARY in json.dumps(value, default=str, ensure_ascii=False)
    except (TypeError, ValueError):
        return CANARY in str(value)


# Where to look -----------------------------------------------------------------------------------


def canary_in_database() -> list[str]:
    """Every column of every table, read with raw SQL so no model field hides a value; as
    "table.column". The models' tables must all be among those read."""
    tables = connection.introspection.table_names()
    models = apps.get_models(include_auto_created=True)
    assert {model._meta.db_table for model in models if model._meta.managed} <= set(tables)
    found = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                found += [
                    f"{table}.{column}"
                    for column, value in zip(columns, row, strict=True)
                    if contains_canary(value)
                ]
    return sorted(set(found))


def canary_in_model_fields() -> list[str]:
    """Every concrete field of every model, read through the ORM (JSON decoded, binary as the
    backend returns it), as "app_label.Model.field"."""
    found = set()
    for model in apps.get_models(include_auto_created=True):
        fields = [field.attname for field in model._meta.concrete_fields]
        for row in model._base_manager.values_list(*fields):
            found |= {
                f"{model._meta.label}.{name}"
                for name, value in zip(fields, row, strict=True)
                if contains_canary(value)
            }
    return sorted(found)


def canary_in_audit_events() -> list[int]:
    return [
        event.pk
        for event in AuditEvent.objects.all()
        if contains_canary(event.data)
        or contains_canary(event.target_repr)
        or contains_canary(event.actor_email)
    ]


def _walk(storage, folder=""):
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for name in folders:
        yield from _walk(storage, f"{folder}/{name}" if folder else name)


def canary_in_storages() -> list[str]:
    """Every file, and every file's name, in every configured storage but the static files,
    as "alias:name"."""
    found = []
    for alias in settings.STORAGES:
        if alias == "staticfiles":
            continue
        storage = storages[alias]
        for name in _walk(storage):
            with storage.open(name, "rb") as stored:
                if contains_canary(name) or contains_canary(stored.read()):
                    found.append(f"{alias}:{name}")
    return found


def canary_in_files(folder, *, modified_since: float = 0) -> list[str]:
    """Files under `folder` (names and content) changed since `modified_since`."""
    found = []
    for root, _dirs, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            try:
                info = os.stat(path, follow_symlinks=False)
                if info.st_mtime < modified_since or not os.path.isfile(path):
                    continue
                if contains_canary(path):
                    found.append(path)
                    continue
                if info.st_size > TEMP_FILE_READ_LIMIT:
                    continue
                with open(path, "rb") as file:
                    if contains_canary(file.read()):
                        found.append(path)
            except OSError:  # another process's file, gone or not ours to read
                continue
    return found


def canary_in_mail() -> list[int]:
    found = []
    for number, message in enumerate(mail.outbox):
        parts = [message.subject, message.body, *message.to, str(message.message())]
        parts += [content for content, _type in getattr(message, "alternatives", [])]
        parts += list(message.attachments)
        if any(contains_canary(part) for part in parts):
            found.append(number)
    return found


def canary_in_pages(client, urls) -> list[str]:
    """Each page's body and headers (a download's file name travels in a header)."""
    found = []
    for url in urls:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        headers = "\n".join(f"{key}: {value}" for key, value in response.headers.items())
        if contains_canary(body) or contains_canary(headers):
            found.append(url)
    return found


def assert_no_canary_in_pages(client, urls) -> None:
    """For the buyer's and supplier's page tests: none of `urls`, fetched with `client`,
    shows the canary in its body or headers."""
    assert canary_in_pages(client, urls) == []


def wagtail_admin_urls() -> list[str]:
    """Every Wagtail admin listing a superuser can open, the admin's search for the canary,
    and every audit event's own page."""
    viewsets.populate()
    # Searched for a word beside the canary: a page echoing its query must not look like a leak.
    urls = {"/admin/", "/admin/pages/search/?q=marked", "/admin/reports/site-history/"}
    for viewset in viewsets.viewsets:
        menu_url = getattr(viewset, "menu_url", None)
        if menu_url:
            urls.add(menu_url)
    for model in get_snippet_models():
        urls.add(model.snippet_viewset.menu_url)
    audit_log = next(v for v in viewsets.viewsets if getattr(v, "model", None) is AuditEvent)
    urls |= {
        reverse(audit_log.get_url_name("inspect"), args=[event.pk])
        for event in AuditEvent.objects.all()
    }
    return sorted(url for url in urls if url)


@pytest.fixture
def every_log_record(monkeypatch):
    """The text of every log record any logger handles during the test, at DEBUG and up,
    whatever its handlers or propagation; database queries (with their parameters) included."""
    records = []
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    handle = logging.Logger.handle

    def handle_and_keep(logger, record):
        records.append(formatter.format(record))
        return handle(logger, record)

    monkeypatch.setattr(logging.Logger, "handle", handle_and_keep)
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    saved = [(logger, logger.level, logger.disabled) for logger in loggers]
    previously_disabled = logging.root.manager.disable
    logging.disable(logging.NOTSET)
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.disabled = False
    debug_cursor = connection.force_debug_cursor
    connection.force_debug_cursor = True
    yield records
    connection.force_debug_cursor = debug_cursor
    for logger, level, disabled in saved:
        logger.setLevel(level)
        logger.disabled = disabled
    logging.disable(previously_disabled)


def canary_in_logs(records, caplog) -> list[str]:
    texts = [*records, *(record.getMessage() for record in caplog.records)]
    return [text[:200] for text in texts if contains_canary(text)]


# A bid with the canary ---------------------------------------------------------------------------


@pytest.fixture
def invited(lot):
    supplier = appointed_supplier(lot)
    return supplier, factories.MembershipFactory(organisation=supplier, role="editor").user


@pytest.fixture
def criteria(opened):
    return {criterion.title: criterion for criterion in opened.criteria.all()}


def submit_canary_bid(opened, invited, criteria):
    """A bid with the canary in its answer on quality, its commitment under local jobs, and a
    document's content and file name; it is revised once, as a supplier would."""
    supplier, person = invited
    quality, local_jobs = criteria["Quality of service"], criteria["Local jobs"]
    answers = {criterion.pk: f"Plain answer on {title}." for title, criterion in criteria.items()}
    for price in (Decimal("15000.00"), Decimal("14250.75")):
        bid = save_bid(
            actor=person,
            competition=opened,
            supplier=supplier,
            price=price,
            answers={**answers, quality.pk: f"Our method, marked {CANARY}, in full."},
            commitments={local_jobs.pk: f"4 apprenticeships ({CANARY})"},
        )
    upload = SimpleUploadedFile(
        f"{CANARY}-method.pdf",
        f"%PDF-1.7 method statement {CANARY}".encode(),
        content_type="application/pdf",
    )
    document = add_bid_document(actor=person, bid=bid, upload=upload)
    return bid, document


def canary_everywhere(client, records, caplog, *, since: float) -> dict:
    """Where the canary was found, by kind of place; every list empty when it is nowhere."""
    return {
        "database": canary_in_database(),
        "model fields": canary_in_model_fields(),
        "audit events": canary_in_audit_events(),
        "storages": canary_in_storages(),
        "temporary files": canary_in_files(tempfile.gettempdir(), modified_since=since),
        "media folder": canary_in_files(settings.MEDIA_ROOT, modified_since=since),
        "logs": canary_in_logs(records, caplog),
        "mail": canary_in_mail(),
        "admin pages": canary_in_pages(client, wagtail_admin_urls()),
    }


NOWHERE = {
    "database": [],
    "model fields": [],
    "audit events": [],
    "storages": [],
    "temporary files": [],
    "media folder": [],
    "logs": [],
    "mail": [],
    "admin pages": [],
}


def test_before_the_deadline_the_canary_is_nowhere(
    opened,
    invited,
    criteria,
    client,
    verified_client,
    every_log_record,
    caplog,
    checkpoint_storage,  # noqa: F811 (fixture)
    tmp_path,
):
    caplog.set_level(logging.DEBUG)
    since = time.time() - 1  # file times may be a little coarse
    submit_canary_bid(opened, invited, criteria)
    # Exports: the open data (which takes an audit checkpoint) is written where it is looked for.
    call_command("export_open_data", "--output", str(tmp_path / "export"))
    superuser = verified_client(factories.platform_admin())
    # The superuser is in: the audit log lists the bid's events.
    assert "Bid submitted" in superuser.get("/admin/audit_events/").content.decode()

    assert canary_everywhere(superuser, every_log_record, caplog, since=since) == NOWHERE
    assert canary_in_files(tmp_path / "export") == []


def test_from_the_deadline_the_canary_is_exactly_where_it_was_put(
    opened, invited, criteria, client, verified_client, every_log_record, caplog
):
    caplog.set_level(logging.DEBUG)
    since = time.time() - 1
    _bid, document = submit_canary_bid(opened, invited, criteria)
    quality, local_jobs = criteria["Quality of service"], criteria["Local jobs"]

    [unsealed] = unsealed_bids(opened, now=opened.submission_deadline)
    name, content = open_bid_document(document, now=opened.submission_deadline)

    assert unsealed.price == Decimal("14250.75")
    assert {pk for pk, text in unsealed.answers.items() if CANARY in text} == {quality.pk}
    assert unsealed.answers[quality.pk] == f"Our method, marked {CANARY}, in full."
    assert unsealed.commitments == {local_jobs.pk: f"4 apprenticeships ({CANARY})"}
    assert (name, content) == (
        f"{CANARY}-method.pdf",
        f"%PDF-1.7 method statement {CANARY}".encode(),
    )
    # Opening the bids wrote, logged and stored nothing in clear.
    superuser = verified_client(factories.platform_admin())
    assert canary_everywhere(superuser, every_log_record, caplog, since=since) == NOWHERE


# Each search finds a canary planted where it looks -----------------------------------------------


def test_the_database_searches_find_a_canary_in_text_and_binary_columns(opened, invited):
    supplier, person = invited
    Clarification.objects.create(
        competition=opened, asked_by=supplier, asked_by_user=person, question=CANARY
    )
    Competition.objects.filter(pk=opened.pk).update(requirements=f"Needs {CANARY}")
    opened.bids.create(supplier=supplier, sealed_price=b"\x00" + CANARY_BYTES)

    assert canary_in_database() == [
        "competitions_bid.sealed_price",
        "competitions_clarification.question",
        "competitions_competition.requirements",
    ]
    assert canary_in_model_fields() == [
        "competitions.Bid.sealed_price",
        "competitions.Clarification.question",
        "competitions.Competition.requirements",
    ]


def test_the_audit_search_finds_a_canary_in_an_event(opened, procurement_officer, buyer):
    event = audit.record(
        actor=procurement_officer,
        organisation=buyer,
        kind=AuditKind.COMPETITION_BRIEF_UPDATED,
        target=opened,
        data={"requirements": {"new": CANARY}},
    )

    assert canary_in_audit_events() == [event.pk]


def test_the_storage_and_file_searches_find_a_canary(tmp_path):
    storage = storages["default"]
    name = storage.save("sealed/planted", ContentFile(CANARY_BYTES))
    (tmp_path / "clear.txt").write_bytes(b"..." + CANARY_BYTES)
    (tmp_path / f"{CANARY}.bin").write_bytes(b"nothing")

    try:
        assert canary_in_storages() == [f"default:{name}"]
    finally:
        storage.delete(name)
    assert sorted(Path(path).name for path in canary_in_files(tmp_path)) == [
        f"{CANARY}.bin",
        "clear.txt",
    ]


def test_the_log_search_finds_a_canary_from_any_logger(every_log_record, caplog):
    caplog.set_level(logging.DEBUG)
    quiet = logging.getLogger("marketplace.competitions.tests.quiet")
    quiet.propagate = False
    try:
        quiet.debug("Opened %s", CANARY)
    finally:
        quiet.propagate = True

    assert canary_in_logs(every_log_record, caplog) == [
        f"marketplace.competitions.tests.quiet DEBUG Opened {CANARY}"
    ]


def test_the_mail_and_page_searches_find_a_canary(verified_client):
    mail.send_mail("Hello", f"Body {CANARY}", "from@example.com", ["to@example.com"])
    superuser = verified_client(factories.platform_admin())
    echoing = f"/admin/pages/search/?q={CANARY}"

    assert canary_in_mail() == [0]
    assert canary_in_pages(superuser, [echoing, "/admin/"]) == [echoing]
