"""The frameworks app in the Wagtail admin: authority screens and the framework page actions.

Framework pages themselves are edited in Wagtail's page editor: each authority's staff group
may edit only its own section (frameworks.setup), and publishing goes through the
"Framework approval" workflow. The screens here (appointments, CSV imports, the debarment
list, suspension, closing a lot) are frameworks.admin views; each scopes itself to the acting
authority.
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.action_menu import WorkflowMenuItem
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from marketplace.organisations import policy
from marketplace.organisations.roles import Action

from .admin import closure, views
from .admin.access import authorities_where
from .models import FrameworkPage, SecondMemberApprovalTask

admin_urlpatterns = [
    path("appointments/", views.AppointmentIndexView.as_view(), name="appointments"),
    path("appointments/add/", views.AppointmentCreateView.as_view(), name="appointment-add"),
    path(
        "appointments/<int:pk>/status/",
        views.AppointmentStatusView.as_view(),
        name="appointment-status",
    ),
    path("appointments/import/", views.AppointmentImportView.as_view(), name="appointment-import"),
    path(
        "appointments/import/confirm/",
        views.AppointmentImportConfirmView.as_view(),
        name="appointment-import-confirm",
    ),
    path("debarments/", views.DebarmentIndexView.as_view(), name="debarments"),
    path("debarments/add/", views.DebarmentCreateView.as_view(), name="debarment-add"),
    path("debarments/<int:pk>/end/", views.DebarmentEndView.as_view(), name="debarment-end"),
    path(
        "suspension/<int:page_id>/",
        views.FrameworkSuspensionView.as_view(),
        name="framework-suspension",
    ),
    path("lots/close/<int:page_id>/", closure.LotCloseView.as_view(), name="lot-close"),
]


@hooks.register("register_admin_urls")
def register_frameworks_admin_urls():
    return [path("frameworks/", include((admin_urlpatterns, "frameworks_admin")))]


class AuthorityMenuItem(MenuItem):
    """Shown only to people who may appoint suppliers for an authority."""

    def is_shown(self, request):
        return bool(authorities_where(request.user, Action.APPOINT_SUPPLIERS))


@hooks.register("register_admin_menu_item")
def register_appointments_menu_item():
    return AuthorityMenuItem(
        _("Appointments"),
        reverse("frameworks_admin:appointments"),
        name="appointments",
        icon_name="group",
        order=250,
    )


@hooks.register("register_admin_menu_item")
def register_debarments_menu_item():
    return AuthorityMenuItem(
        _("Debarment list"),
        reverse("frameworks_admin:debarments"),
        name="debarment-list",
        icon_name="warning",
        order=260,
    )


def _framework_for(page, user, action: Action) -> FrameworkPage | None:
    """The page as a framework, if it is one and the user may do `action` on it."""
    specific_class = page.specific_class
    if specific_class is None or not issubclass(specific_class, FrameworkPage):
        return None
    framework = page.specific_deferred
    return framework if policy.can(user, action, framework.authority, framework) else None


@hooks.register("register_page_header_buttons")
def framework_suspension_button(page, user, view_name, next_url=None):
    framework = _framework_for(page, user, Action.APPROVE_FRAMEWORKS)
    if framework is None:
        return
    label = _("Reinstate framework") if framework.is_suspended else _("Suspend framework")
    yield Button(
        label,
        reverse("frameworks_admin:framework-suspension", args=(page.pk,)),
        icon_name="warning",
        priority=80,
    )


@hooks.register("register_page_header_buttons")
def lot_closure_button(page, user, view_name, next_url=None):
    if _framework_for(page, user, Action.EDIT_FRAMEWORKS) is None:
        return
    yield Button(
        _("Close a lot"),
        reverse("frameworks_admin:lot-close", args=(page.pk,)),
        icon_name="warning",
        priority=90,
    )


@hooks.register("construct_page_action_menu")
def keep_approval_task_labels(menu_items, request, context):
    """Wagtail appends "and Publish" to a last task's approve label; ours already says it."""
    page = context.get("page")
    if page is None or not isinstance(page.current_workflow_task, SecondMemberApprovalTask):
        return
    for item in menu_items:
        if isinstance(item, WorkflowMenuItem):
            item.label = SecondMemberApprovalTask.ACTION_LABELS.get(
                (item.name, item.launch_modal), item.label
            )
