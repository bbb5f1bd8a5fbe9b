"""Pages about the poverty standards (chuẩn nghèo): the list, one standard, and "phân loại thử".

The pages only present what :mod:`giamngheo.standards` holds and computes. The package is split by
responsibility:

- :mod:`.presentation` turns a :class:`~giamngheo.standards.Standard` into display data: the rule in plain
  words (generated from the standard's data, never written by hand), parameters in words, status badges,
  numbers and money in the current language;
- :mod:`.forms` is the try-classification form and the upload size limit;
- :mod:`.trial` runs a try-classification: reads the uploads, calls :func:`giamngheo.standards.evaluate`,
  turns the result into rows, and keeps the results workbook for the session that asked for it;
- :mod:`.sample` is the sample workbook (mau.xlsx);
- :mod:`.views` are thin views: parse input, call one function, render.
"""
