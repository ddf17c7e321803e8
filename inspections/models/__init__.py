"""Inspection models, split by area: the inspection itself (core), record reading, and the
report (findings, evaluations, factual accuracy, published versions)."""

from .core import *  # noqa: F403
from .core import PUBLISHED_STATUSES, STATUS_SEQUENCE  # noqa: F401
from .record_reading import *  # noqa: F403
from .report import *  # noqa: F403
