"""A suspension belongs to the framework as it stands, so no revision can undo or redo it."""

import threading
import time

from django.db import connection, connections, transaction
from django.urls import reverse

import pytest

from frameworks import services
from frameworks.models import FrameworkPage

REASON = "Under legal challenge"


def suspend(framework, framework_manager, authority):
    services.suspend_framework(
        actor=framework_manager, organisation=authority, framework=framework, reason=REASON
    )


def suspension(framework):
    framework = FrameworkPage.objects.get(pk=framework.pk)
    return framework.is_suspended, framework.suspension_reason


def test_publishing_an_older_revision_keeps_the_suspension(framework, framework_manager, authority):
    older = framework.live_revision
    suspend(framework, framework_manager, authority)

    older.publish()

    assert suspension(framework) == (True, REASON)


def test_publishing_a_copy_loaded_before_the_suspension_keeps_it(
    framework, framework_manager, authority
):
    stale = FrameworkPage.objects.get(pk=framework.pk)
    suspend(framework, framework_manager, authority)

    stale.title = "Digital services (updated)"
    stale.save_revision().publish()

    assert suspension(framework) == (True, REASON)
    assert FrameworkPage.objects.get(pk=framework.pk).title == "Digital services (updated)"


def test_publishing_a_revision_made_while_suspended_does_not_suspend_again(
    framework, framework_manager, authority
):
    suspend(framework, framework_manager, authority)
    made_while_suspended = FrameworkPage.objects.get(pk=framework.pk).save_revision()
    services.reinstate_framework(
        actor=framework_manager, organisation=authority, framework=framework
    )

    made_while_suspended.publish()

    assert suspension(framework) == (False, "")


def test_an_older_revision_previews_with_the_current_suspension(
    framework, framework_manager, authority
):
    older = framework.live_revision
    suspend(framework, framework_manager, authority)

    preview = older.as_object()

    assert (preview.is_suspended, preview.suspension_reason) == (True, REASON)


def test_approving_a_change_submitted_before_the_suspension_keeps_it(
    framework, framework_manager, reviewer, authority, admin_client_for
):
    framework.title = "Digital services 2"
    framework.save_revision(user=framework_manager)
    workflow_state = framework.get_workflow().start(framework, framework_manager)
    suspend(framework, framework_manager, authority)

    admin_client_for(reviewer).post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(framework.pk, "approve", workflow_state.current_task_state.pk),
        ),
        {"comment": ""},
    )

    framework = FrameworkPage.objects.get(pk=framework.pk)
    assert (framework.title, framework.is_suspended, framework.suspension_reason) == (
        "Digital services 2",
        True,
        REASON,
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers and has no SELECT … FOR UPDATE to race against",
)
def test_a_publish_racing_a_suspension_keeps_it(framework, framework_manager, authority):
    stale = FrameworkPage.objects.get(pk=framework.pk)
    suspended_uncommitted = threading.Event()

    def suspend_then_commit_slowly():
        try:
            with transaction.atomic():
                suspend(framework, framework_manager, authority)
                suspended_uncommitted.set()
                time.sleep(0.5)
        finally:
            connections.close_all()

    def publish_the_stale_copy():
        try:
            suspended_uncommitted.wait()
            stale.save_revision().publish()
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=suspend_then_commit_slowly),
        threading.Thread(target=publish_the_stale_copy),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert suspension(framework) == (True, REASON)
