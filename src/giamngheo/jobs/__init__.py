"""Background jobs (công việc chạy nền): long reports and exports run outside the request."""
