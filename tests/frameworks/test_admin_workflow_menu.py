"""The reviewer's actions in the framework page editor read once, in the service's words."""

from django.urls import reverse


def test_reviewer_reads_approve_and_publish_once(submitted, reviewer, admin_client_for):
    page, _task_state = submitted
    response = admin_client_for(reviewer).get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    html = response.content.decode()
    assert html.count("Approve and publish") == 1
    assert "and Publish" not in html
