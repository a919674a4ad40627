"""The audit log in the Wagtail admin: read-only, filterable, scoped to the user's organisations.

Only a listing and a detail (inspect) view exist; there are no add, edit or delete URLs. A
user sees the events of organisations where they hold a role with Action.VIEW_AUDIT
(superusers see every event); another organisation's event answers 404.
"""

import json

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

import django_filters

from .kinds import AuditKind
from .models import AuditEvent
from .selectors import (
    events_for_user,
    get_event_for_user,
    may_view_audit,
    roles_that_view_audit,
)

READ_ACTIONS = {"view"}


class AuditEventPermissionPolicy(BasePermissionPolicy):
    """Reading is allowed by organisation role (VIEW_AUDIT); nothing else, ever."""

    def user_has_permission(self, user, action):
        return action in READ_ACTIONS and may_view_audit(user=user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        if not set(actions) & READ_ACTIONS:
            return users.none()
        return users.filter(
            Q(is_superuser=True) | Q(memberships__role__in=roles_that_view_audit())
        ).distinct()

    def user_has_permission_for_instance(self, user, action, instance):
        return action in READ_ACTIONS and events_for_user(user=user).filter(pk=instance.pk).exists()

    def instances_user_has_any_permission_for(self, user, actions):
        if not set(actions) & READ_ACTIONS:
            return AuditEvent.objects.none()
        return events_for_user(user=user)


register_permission_policy(AuditEvent, AuditEventPermissionPolicy(AuditEvent))


class AuditEventFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=AuditKind.choices)
    created_at = django_filters.DateFromToRangeFilter(
        label=_("Recorded between"), widget=DateRangePickerWidget
    )
    actor = django_filters.CharFilter(
        label=_("Actor's e-mail address"), field_name="actor_email", lookup_expr="icontains"
    )

    class Meta:
        model = AuditEvent
        fields = ["kind", "created_at", "actor"]


class AuditEventIndexView(IndexView):
    def get_base_queryset(self):
        return events_for_user(user=self.request.user)


class AuditEventInspectView(InspectView):
    def get_object(self, queryset=None):
        return get_event_for_user(user=self.request.user, pk=self.pk)

    def get_data_display_value(self):
        text = json.dumps(self.object.data, indent=2, sort_keys=True, ensure_ascii=False)
        return format_html("<pre>{}</pre>", text)


class AuditEventViewSet(ModelViewSet):
    model = AuditEvent
    icon = "list-ul"
    menu_label = _("Audit log")
    menu_order = 900
    add_to_admin_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    index_view_class = AuditEventIndexView
    inspect_view_class = AuditEventInspectView
    filterset_class = AuditEventFilterSet
    ordering = ["-sequence", "-pk"]
    list_per_page = 50
    list_display = [
        "sequence",  # the title column: links to the event's detail page
        DateColumn("created_at", label=_("Recorded at"), sort_key="created_at"),
        Column("get_kind_display", label=_("What happened")),
        Column("actor_email", label=_("Who")),
        Column("organisation", label=_("Organisation")),
        Column("target_repr", label=_("About")),
    ]
    inspect_view_fields = [
        "sequence",
        "created_at",
        "kind",
        "actor_email",
        "organisation",
        "target_content_type",
        "target_object_id",
        "target_repr",
        "data",
        "previous_hash",
        "hash",
    ]

    def get_common_view_kwargs(self, **kwargs):
        # There are no add, edit, copy, delete, history or usage views to link to.
        return {
            **super().get_common_view_kwargs(**kwargs),
            "add_url_name": None,
            "edit_url_name": None,
            "delete_url_name": None,
            "history_url_name": None,
            "usage_url_name": None,
        }

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]


@hooks.register("register_admin_viewset")
def register_audit_event_viewset():
    return AuditEventViewSet("audit_events")
