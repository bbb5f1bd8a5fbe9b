"""Signals of the review context, for contexts that depend on it (review never imports them).

``round_approved``: sent inside the approval's transaction, after the round's status is approved, with
``review_round``. ``reports`` stores the round's figures on it, so the figures and the approval are
committed together.
"""

from __future__ import annotations

from django.dispatch import Signal

round_approved = Signal()
