"""Poverty-reduction planning (kế hoạch giảm nghèo): targets, tasks with agencies and deadlines, budget by
source. The framework-free plan-document parser lives in :mod:`giamngheo.planning.parsing`."""
