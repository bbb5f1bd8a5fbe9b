"""Accounts (tài khoản): users, roles, territorial scope, audit log."""
