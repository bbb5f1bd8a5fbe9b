"""Django project: settings, URLs, base templates and static assets (trang web)."""
