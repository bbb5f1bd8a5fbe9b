"""Reports, dashboards and maps (báo cáo, bảng điều khiển, bản đồ) built on approved review results."""
