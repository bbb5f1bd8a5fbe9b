"""URLs of the planning context's tasks pages (included by ``planning.urls``)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path, re_path

from giamngheo.planning import tasks_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:plan_pk>/nhiem-vu/", views.task_list, name="tasks"),
    path("<int:plan_pk>/nhiem-vu/them/", views.task_add, name="task_add"),
    path("<int:plan_pk>/nhiem-vu/<int:pk>/sua/", views.task_edit, name="task_edit"),
    path("nhiem-vu/<int:pk>/bao-cao/", views.task_report, name="task_report"),
    path("nhiem-vu-cua-toi/", views.my_tasks, name="my_tasks"),
    path("<int:plan_pk>/bao-cao-dinh-ky/", views.report_requests, name="report_requests"),
    path("<int:plan_pk>/bao-cao-dinh-ky/them/", views.deadline_add, name="deadline_add"),
    path("bao-cao-tien-do/<int:pk>/tep/", views.report_attachment, name="report_attachment"),
    re_path(r"^(?P<plan_pk>[0-9]+)/bao-cao\.(?P<fmt>xlsx|pdf)$", views.plan_export, name="plan_export"),
]
