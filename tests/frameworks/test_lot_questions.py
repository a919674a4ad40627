"""A lot's offering questions are edited on their own admin page, not in the framework editor,
and stay revisioned: saving makes a draft revision, which the framework's publication
publishes (frameworks.admin.lot_questions, services.save_lot_questions)."""

from django.urls import reverse

from wagtail.models import Revision
from wagtail.test.utils.form_data import nested_form_data, streamfield

import pytest

from frameworks import publishing, services
from frameworks.models import FrameworkPage, Lot
from marketplace.audit.kinds import AuditKind
from marketplace.audit.models import AuditEvent
from marketplace.organisations.policy import PolicyDenied
from tests.frameworks.conftest import add_framework_url, create_framework, framework_form_data

HOSTING = {"label": "Where is the service hosted?", "key": "", "help_text": "", "required": "on"}
UK_ONLY = {"label": "UK data centres only", "key": "uk_only", "help_text": "", "required": "on"}


def _url(framework, number=1):
    return reverse("frameworks_admin:lot-questions", args=(framework.pk, number))


def _edit_url(framework):
    return reverse("wagtailadmin_pages:edit", args=(framework.pk,))


def _questions(*blocks):
    return nested_form_data({"attribute_schema": streamfield(list(blocks))})


def _draft_lot(framework, number=1):
    draft = FrameworkPage.objects.get(pk=framework.pk).get_latest_revision_as_object()
    return next(lot for lot in draft.lots.all() if lot.number == number)


def _labels(stream):
    return [child.value["label"] for child in stream]


def _save(client, framework, *blocks, number=1):
    return client.post(_url(framework, number), _questions(*blocks))


def _editor_data(framework):
    """The page editor's form for `framework` as it stands, its lots as initial rows."""
    lots = framework.lots.order_by("number")
    data = framework_form_data(
        lots=[{"id": str(lot.pk), "number": str(lot.number), "title": lot.title} for lot in lots],
        title=framework.title,
        slug=framework.slug,
        reference=framework.reference,
        **{
            name: getattr(framework, name).isoformat()
            for name in (
                "applications_open_on",
                "applications_close_on",
                "award_on",
                "starts_on",
                "ends_on",
            )
        },
    )
    data["lots-INITIAL_FORMS"] = str(len(lots))
    return data


# --- Saving makes a draft revision; publishing publishes it -----------------------------------


def test_saved_questions_go_into_a_new_draft_revision(manager_client, framework, framework_manager):
    revisions = Revision.page_revisions.filter(object_id=str(framework.pk)).count()

    response = _save(manager_client, framework, ("text", HOSTING), ("yes_no", UK_ONLY))

    assert response.status_code == 302
    assert response["Location"] == _edit_url(framework)
    framework.refresh_from_db()
    assert Revision.page_revisions.filter(object_id=str(framework.pk)).count() == revisions + 1
    assert framework.latest_revision.user == framework_manager
    assert _labels(_draft_lot(framework).attribute_schema) == [HOSTING["label"], UK_ONLY["label"]]
    assert [child.value["key"] for child in _draft_lot(framework).attribute_schema] == [
        "where_is_the_service_hosted",
        "uk_only",
    ]
    assert _labels(_draft_lot(framework, 2).attribute_schema) == []


def test_the_live_framework_keeps_its_questions_until_published(manager_client, framework):
    _save(manager_client, framework, ("text", HOSTING))

    framework.refresh_from_db()
    assert framework.live and framework.has_unpublished_changes
    assert _labels(framework.lots.get(number=1).attribute_schema) == []


def test_publishing_the_revision_publishes_the_questions(
    manager_client, framework, authority, reviewer
):
    _save(manager_client, framework, ("text", HOSTING))
    framework.refresh_from_db()

    publishing.publish_framework(
        actor=reviewer, organisation=authority, revision=framework.latest_revision
    )

    assert _labels(Lot.objects.get(framework=framework, number=1).attribute_schema) == [
        HOSTING["label"]
    ]


def test_a_framework_not_live_has_its_lot_row_saved_too(manager_client, section):
    """The editor writes a page that is not live to its rows as it saves the revision."""
    draft = create_framework(section, live=False)
    FrameworkPage.objects.filter(pk=draft.pk).update(live=False)  # never published

    _save(manager_client, draft, ("text", HOSTING))

    assert _labels(Lot.objects.get(framework=draft, number=1).attribute_schema) == [
        HOSTING["label"]
    ]
    assert _labels(_draft_lot(draft).attribute_schema) == [HOSTING["label"]]


def test_saving_is_recorded(manager_client, framework, framework_manager):
    _save(manager_client, framework, ("text", HOSTING))

    event = AuditEvent.objects.get(kind=AuditKind.LOT_QUESTIONS_DRAFTED)
    framework.refresh_from_db()
    assert (event.actor, event.organisation) == (framework_manager, framework.authority)
    assert event.data == {"lot": 1, "revision": framework.latest_revision_id, "questions": 1}


def test_saving_the_framework_editor_afterwards_keeps_the_questions(manager_client, unawarded):
    _save(manager_client, unawarded, ("text", HOSTING))

    response = manager_client.post(_edit_url(unawarded), _editor_data(unawarded))

    assert response.status_code == 302, response.context and response.context["form"].errors
    assert _labels(_draft_lot(unawarded).attribute_schema) == [HOSTING["label"]]


def test_the_editor_no_longer_carries_the_question_editor(manager_client, framework):
    response = manager_client.get(_edit_url(framework))

    html = response.content.decode()
    assert 'name="lots-0-attribute_schema-count"' not in html
    assert "attribute_schema" not in response.context["form"].formsets["lots"].forms[0].fields


# --- The editor's summary and link ---------------------------------------------------------------


def test_each_saved_lot_links_to_its_questions(manager_client, framework):
    _save(manager_client, framework, ("text", HOSTING), ("yes_no", UK_ONLY))

    html = manager_client.get(_edit_url(framework)).content.decode()

    assert "2 offering questions" in html
    assert "0 offering questions" in html
    assert f'href="{_url(framework, 1)}">Edit offering questions for Lot 1</a>' in html
    assert f'href="{_url(framework, 2)}">Edit offering questions for Lot 2</a>' in html


def test_a_lot_not_yet_saved_asks_for_a_draft_first(manager_client, section):
    html = manager_client.get(add_framework_url(section)).content.decode()

    assert "Save a draft first, then add its questions" in html
    assert "Edit offering questions for Lot" not in html


def test_the_questions_page_shows_the_lots_draft_questions(manager_client, framework):
    _save(manager_client, framework, ("text", HOSTING))

    response = manager_client.get(_url(framework))

    assert response.status_code == 200
    assert (
        response.context["form"].initial["attribute_schema"][0].value["label"] == (HOSTING["label"])
    )
    assert "Offering questions for Lot 1" in response.content.decode()


# --- Who may, and bad input ----------------------------------------------------------------------


def test_another_authoritys_manager_gets_404(admin_client_for, other_manager, framework):
    client = admin_client_for(other_manager)
    revision = framework.latest_revision_id

    assert client.get(_url(framework)).status_code == 404
    assert _save(client, framework, ("text", HOSTING)).status_code == 404
    framework.refresh_from_db()
    assert framework.latest_revision_id == revision


def test_a_lot_the_framework_does_not_have_is_404(manager_client, framework):
    assert manager_client.get(_url(framework, 9)).status_code == 404


def test_a_page_that_is_not_a_framework_is_404(manager_client, section):
    assert manager_client.get(_url(section)).status_code == 404


def test_bad_questions_keep_the_page_and_save_nothing(manager_client, framework):
    revision = framework.latest_revision_id
    blank_label = {**HOSTING, "label": ""}

    response = _save(manager_client, framework, ("yes_no", UK_ONLY), ("text", blank_label))

    assert response.status_code == 200
    assert response.context["form"].errors["attribute_schema"]
    html = response.content.decode()
    assert "The offering questions could not be saved due to errors." in html
    assert UK_ONLY["label"] in html  # what was typed is still there
    framework.refresh_from_db()
    assert framework.latest_revision_id == revision
    assert not AuditEvent.objects.filter(kind=AuditKind.LOT_QUESTIONS_DRAFTED).exists()


def test_two_questions_with_one_key_are_refused(manager_client, framework):
    revision = framework.latest_revision_id

    response = _save(manager_client, framework, ("text", UK_ONLY), ("yes_no", UK_ONLY))

    assert response.status_code == 200
    assert "Two attributes share the key uk_only" in response.content.decode()
    framework.refresh_from_db()
    assert framework.latest_revision_id == revision


def test_a_page_locked_by_someone_else_is_not_saved(manager_client, framework, second_manager):
    FrameworkPage.objects.filter(pk=framework.pk).update(locked=True, locked_by=second_manager)
    revision = framework.latest_revision_id

    assert "locked" in manager_client.get(_url(framework)).content.decode()
    response = _save(manager_client, framework, ("text", HOSTING))

    assert response.status_code == 200
    assert "could not be saved" in response.content.decode()
    framework.refresh_from_db()
    assert framework.latest_revision_id == revision


def test_the_service_refuses_a_user_who_may_not_edit(framework, other_manager):
    with pytest.raises(PolicyDenied):
        services.save_lot_questions(
            actor=other_manager, framework=framework, number=1, questions=[]
        )
