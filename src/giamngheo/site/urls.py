"""URL configuration: login, logout, home, language switch, admin, poverty standards."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from giamngheo.site import views
from giamngheo.site.standards import views as standards

admin.site.site_header = _("Quản trị hệ thống giảm nghèo")
admin.site.site_title = _("Giảm nghèo")
admin.site.index_title = _("Quản trị")

standards_patterns = [
    path("", standards.standard_list, name="list"),
    path("phan-loai-thu/", standards.try_classification, name="try"),
    path("phan-loai-thu/mau.xlsx", standards.try_sample, name="sample"),
    path("phan-loai-thu/ket-qua/<slug:token>.xlsx", standards.try_download, name="download"),
    path("<slug:standard_id>/", standards.standard_detail, name="detail"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("chuan-ngheo/", include((standards_patterns, "standards"))),
    path("ho/", include("giamngheo.registry.urls")),
    path("ra-soat/", include("giamngheo.review.urls")),
    path("cong-khai/", include("giamngheo.review.public_urls")),
    path("bao-cao/", include("giamngheo.reports.urls")),
    path("dia-ban/", include("giamngheo.geo.urls")),
    path("cong-viec/", include("giamngheo.jobs.urls")),
    path("ke-hoach/", include("giamngheo.planning.urls")),
    path("ho-tro/", include("giamngheo.support.urls")),
    path("api/", include("giamngheo.api.page_urls")),
    path("api/v1/", include("giamngheo.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
