"""Locale formats that override Django's defaults (see ``FORMAT_MODULE_PATH``)."""
