import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from giamngheo.accounts.models import Role
from tests.accounts.factories import PASSWORD, user_factory

pytestmark = pytest.mark.django_db


def _switch_language(client: Client, language: str, next_url: str) -> None:
    response = client.post(reverse("set_language"), {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url


def test_login_page_is_vietnamese_by_default(client: Client) -> None:
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    for text in ("Đăng nhập", "Tên đăng nhập", "Mật khẩu", "Hệ thống quản lý giảm nghèo bền vững"):
        assert text in html


def test_browser_language_does_not_switch_to_english(client: Client) -> None:
    html = client.get(reverse("login"), headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html


def test_language_switch_translates_the_login_page(client: Client) -> None:
    _switch_language(client, "en", reverse("login"))
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in html
    for text in ("Sign in", "Username", "Password", "Sustainable poverty-reduction management"):
        assert text in html
    assert "Đăng nhập" not in html

    _switch_language(client, "vi", reverse("login"))
    assert "Đăng nhập" in client.get(reverse("login")).content.decode()


def test_wrong_password_is_explained(client: Client) -> None:
    user_factory(username="xa")
    response = client.post(reverse("login"), {"username": "xa", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert 'class="alert alert-error"' in response.content.decode()


def test_login_then_home(client: Client) -> None:
    user_factory(username="xa", full_name="Lê Văn Bình")
    response = client.post(reverse("login"), {"username": "xa", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "Xin chào, Lê Văn Bình!" in client.get(reverse("home")).content.decode()


def test_home_redirects_anonymous_users_to_login(client: Client) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_home_greets_the_user_in_vietnamese(client: Client) -> None:
    client.force_login(user_factory(full_name="Nguyễn Thị Mai", role=Role.COMMUNE_OFFICER))
    html = client.get(reverse("home")).content.decode()
    for text in ("Xin chào, Nguyễn Thị Mai!", "Cán bộ xã", "Chuẩn nghèo", "Đăng xuất", "Trang chủ"):
        assert text in html


def test_home_in_english(client: Client) -> None:
    client.force_login(user_factory(full_name="Nguyễn Thị Mai", role=Role.COMMUNE_OFFICER))
    _switch_language(client, "en", reverse("home"))
    html = client.get(reverse("home")).content.decode()
    for text in ("Hello, Nguyễn Thị Mai!", "Commune officer", "Poverty standard", "Sign out", "Home"):
        assert text in html
    assert "Xin chào" not in html


def test_home_for_a_user_without_a_role(client: Client) -> None:
    client.force_login(user_factory(role=""))
    assert "chưa được phân vai trò" in client.get(reverse("home")).content.decode()


def test_logout_is_a_post_and_returns_to_login(client: Client) -> None:
    client.force_login(user_factory())
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_pages_load_nothing_from_the_internet(client: Client) -> None:
    client.force_login(user_factory())
    for url in (reverse("home"), reverse("login")):
        html = client.get(url).content.decode()
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), url


def test_htmx_is_vendored_with_its_licence() -> None:
    script = finders.find("vendor/htmx/htmx.min.js")
    licence = finders.find("vendor/htmx/LICENSE")
    assert isinstance(script, str)
    assert isinstance(licence, str)
    with open(script, encoding="utf-8") as handle:
        assert 'version:"2.0.4"' in handle.read()


def test_base_layout_loads_htmx_and_sends_the_csrf_token(client: Client) -> None:
    html = client.get(reverse("login")).content.decode()
    assert "vendor/htmx/htmx.min.js" in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
