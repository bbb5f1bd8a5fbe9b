"""Review of poor and near-poor households (rà soát hộ nghèo, hộ cận nghèo), Decision 24/2021/QĐ-TTg.

Rounds (periodic and ongoing), the list of households to review, Phiếu A and Phiếu B, classification
through :mod:`giamngheo.standards`, village meetings, public posting, complaints, approval and the
transitions between two approved rounds. See ``README.md``.
"""
