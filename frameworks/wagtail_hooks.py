"""The frameworks app in the Wagtail admin: authority screens and the framework page actions.

Framework pages themselves are edited in Wagtail's page editor: each authority's staff group
may edit only its own section (frameworks.setup), and publishing goes through the
"Framework approval" workflow. The appointments and the debarment list are viewsets (a
filtered listing and its screens); suspension, closing a lot, varying and unpublishing are
framework page actions. All are frameworks.admin views, each scoped to the acting authority.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.action_menu import WorkflowMenuItem
from wagtail.admin.widgets import Button

from marketplace.exceptions import DomainError
from marketplace.organisations import policy
from marketplace.organisations.policy import PolicyDenied
from marketplace.organisations.roles import Action

from . import publishing, terms
from .admin import closure, lot_questions, ranking, unpublishing, variation, views
from .admin.access import authorities_where
from .admin.cpv import cpv_chooser_viewset
from .admin.listing import SectionViewSet
from .filters import AppointmentFilterSet, DebarmentFilterSet
from .models import (
    Appointment,
    DebarmentEntry,
    DirectAwardMethod,
    FrameworkPage,
    Lot,
    SecondMemberApprovalTask,
)


class AppointmentViewSet(SectionViewSet):
    """The authority's appointments: the listing, appointing (one supplier, a replacement or a
    CSV file of them) and changing an appointment's status."""

    model = Appointment
    icon = "group"
    menu_label = _("Appointments")
    menu_name = "appointments"
    menu_order = 250
    url_prefix = "frameworks/appointments"
    index_view_class = views.AppointmentIndexView
    filterset_class = AppointmentFilterSet
    ordering = ["lot__framework__title", "lot__number", "supplier__legal_name"]
    list_per_page = 50
    screens = {
        "add/": ("add", views.AppointmentCreateView),
        "<int:pk>/status/": ("status", views.AppointmentStatusView),
        "import/": ("import", views.AppointmentImportView),
        "import/confirm/": ("import-confirm", views.AppointmentImportConfirmView),
    }

    def is_shown(self, request):
        return bool(authorities_where(request.user, Action.APPOINT_SUPPLIERS))


class DebarmentViewSet(SectionViewSet):
    """The central debarment list: platform administrators keep it (add, end an entry);
    authority staff read it."""

    model = DebarmentEntry
    icon = "warning"
    menu_label = _("Debarment list")
    menu_name = "debarment-list"
    menu_order = 260
    url_prefix = "frameworks/debarments"
    index_view_class = views.DebarmentIndexView
    filterset_class = DebarmentFilterSet
    ordering = ["-starts_on", "supplier__legal_name"]
    list_per_page = 50
    screens = {
        "add/": ("add", views.DebarmentCreateView),
        "<int:pk>/remove/": ("remove", views.DebarmentRemoveView),
    }

    def is_shown(self, request):
        return policy.is_platform_admin(request.user) or bool(
            authorities_where(request.user, Action.VIEW_ORGANISATION)
        )


@hooks.register("register_admin_viewset")
def register_appointments_viewset():
    return AppointmentViewSet("appointments")


@hooks.register("register_admin_viewset")
def register_cpv_chooser_viewset():
    """The searchable chooser of CPV codes that the framework and lot CPV boxes open."""
    return cpv_chooser_viewset


@hooks.register("register_admin_viewset")
def register_debarments_viewset():
    return DebarmentViewSet("debarments")


admin_urlpatterns = [
    path(
        "suspension/<int:page_id>/",
        views.FrameworkSuspensionView.as_view(),
        name="framework-suspension",
    ),
    path("lots/close/<int:page_id>/", closure.LotCloseView.as_view(), name="lot-close"),
    path(
        "<int:page_id>/lots/<int:number>/questions/",
        lot_questions.LotQuestionsView.as_view(),
        name="lot-questions",
    ),
    path(
        "<int:page_id>/lots/<int:number>/ranking/",
        ranking.LotRankingView.as_view(),
        name="lot-ranking",
    ),
    path("vary/<int:page_id>/", variation.FrameworkVariationView.as_view(), name="framework-vary"),
    path(
        "unpublish/<int:page_id>/",
        unpublishing.FrameworkUnpublishView.as_view(),
        name="framework-unpublish",
    ),
]


@hooks.register("register_admin_urls")
def register_frameworks_admin_urls():
    return [path("frameworks/", include((admin_urlpatterns, "frameworks_admin")))]


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


@hooks.register("register_page_header_buttons")
def lot_ranking_buttons(page, user, view_name, next_url=None):
    """One button per lot whose direct award is a ranked list with rotation."""
    framework = _framework_for(page, user, Action.EDIT_FRAMEWORKS)
    if framework is None:
        return
    for lot in Lot.objects.filter(
        framework_id=page.pk, direct_award_method=DirectAwardMethod.RANKED_ROTATION
    ).order_by("number"):
        yield Button(
            _("Rank Lot %(number)s's suppliers") % {"number": lot.number},
            reverse("frameworks_admin:lot-ranking", args=(page.pk, lot.number)),
            icon_name="list-ol",
            priority=92,
        )


@hooks.register("register_page_header_buttons")
def framework_variation_button(page, user, view_name, next_url=None):
    framework = _framework_for(page, user, Action.EDIT_FRAMEWORKS)
    if framework is None or not terms.is_awarded(framework):
        return
    yield Button(
        _("Vary the terms"),
        reverse("frameworks_admin:framework-vary", args=(page.pk,)),
        icon_name="edit",
        priority=95,
    )


@hooks.register("register_page_header_buttons")
def framework_unpublish_button(page, user, view_name, next_url=None):
    """Offered only for a live framework that is not suspended: a suspended one is reinstated
    first (the service would refuse it)."""
    framework = _framework_for(page, user, Action.APPROVE_FRAMEWORKS)
    if framework is None or not page.live or framework.is_suspended:
        return
    yield Button(
        _("Unpublish"),
        reverse("frameworks_admin:framework-unpublish", args=(page.pk,)),
        icon_name="cross",
        priority=85,
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


# Publishing and unpublishing a framework goes through frameworks.publishing (see there for
# every Wagtail path). These hooks take over Wagtail's own views for framework pages.


def _refused(request, error, back: str):
    messages.error(request, str(error))
    return redirect(back)


@hooks.register("before_publish_page")
def publish_framework_through_service(request, page):
    """The editor's and the create view's Publish, including publishing a reverted revision:
    both have just saved the revision to publish, so the service publishes it."""
    if not isinstance(page, FrameworkPage):
        return None
    edit_url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    try:
        publishing.publish_framework(
            actor=request.user, organisation=page.authority, revision=page.latest_revision
        )
    except (DomainError, PolicyDenied) as error:
        messages.error(request, _("The framework was saved as a draft but not published."))
        return _refused(request, error, edit_url)
    messages.success(request, _("Framework “%(title)s” published.") % {"title": page.title})
    return redirect(edit_url)


def _framework_descendants(page, *, include_descendants: bool):
    pages = page.get_descendants(inclusive=True) if include_descendants else [page]
    return [p for p in pages if p.specific_class and issubclass(p.specific_class, FrameworkPage)]


@hooks.register("before_unpublish_page")
def unpublish_framework_through_service(request, page):
    explore_url = reverse("wagtailadmin_explore", args=(page.get_parent().pk,))
    if not isinstance(page, FrameworkPage):
        if _framework_descendants(
            page, include_descendants=bool(request.POST.get("include_descendants"))
        ):
            return _refused(request, NOT_IN_BULK, explore_url)
        return None
    try:
        publishing.unpublish_framework(
            actor=request.user, organisation=page.authority, framework=page
        )
    except (DomainError, PolicyDenied) as error:
        return _refused(request, error, reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    messages.success(request, _("Framework “%(title)s” unpublished.") % {"title": page.title})
    return redirect(explore_url)


NOT_IN_BULK = _(
    "Frameworks are published and unpublished one at a time, from the framework's own page, "
    "so that each is checked and audited: leave them out of this action"
)


@hooks.register("before_bulk_action")
def refuse_bulk_framework_publishing(request, action_type, objects, action_class_instance):
    if action_type not in {"publish", "unpublish"}:
        return None
    form = getattr(action_class_instance, "cleaned_form", None)
    include = bool(form and form.cleaned_data.get("include_descendants"))
    if any(_framework_descendants(page, include_descendants=include) for page in objects):
        return _refused(request, NOT_IN_BULK, action_class_instance.next_url)
    return None
