"""giamngheo — quản lý giảm nghèo bền vững (sustainable poverty-reduction management)."""

__version__ = "0.1.0"
