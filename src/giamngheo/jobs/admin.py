"""Read-only list of the background jobs in the admin (they change only through the services)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from giamngheo.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin[Job]):
    list_display = ("pk", "title", "kind", "owner", "status", "progress", "created_at", "finished_at")
    list_filter = ("status", "kind")
    search_fields = ("title", "kind", "owner__username")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Job | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Job | None = None) -> bool:
        return False
