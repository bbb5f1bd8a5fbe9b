"""Standard report forms (biểu mẫu báo cáo) of a province, commune or village and year, as Excel, PDF and
CSV, built from the one aggregation path (:mod:`giamngheo.reports.aggregation`).

- :mod:`.context` — :class:`~.context.FormContext`, what a form is built from (framework-free);
- :mod:`.summary` (Biểu 01), :mod:`.deprivation` (Biểu 02), :mod:`.causes` (Biểu 03),
  :mod:`.transitions` (Biểu 04) — one builder each, ``build(context) -> TableForm`` (framework-free);
- :mod:`.coverage` (Biểu 05) — the coverage of the support policies, read through
  :mod:`giamngheo.support.coverage` (the support records of the unit and year);
- :mod:`.registry` — :data:`~.registry.FORMS`, the forms by number, with their names for the pages;
- :mod:`.render` — Excel and CSV (and PDF through ``documents.report_pdf``) (framework-free);
- :mod:`.data` — the reads: units the viewer may report on, and the context of a unit and year.
"""
