"""Logging filters of picsweb's own (settings.LOGGING)."""

from __future__ import annotations

import logging


class NoTracebackForRefusals(logging.Filter):
    """A request refused (400, 403) or for a page that is not there (404) is logged as its one
    line, without the traceback of the PermissionDenied or Http404 behind it: the traceback
    tells an operator nothing and buried the log's real errors under 20 lines a refusal."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in (400, 403, 404):
            record.exc_info = None
            record.exc_text = None
        return True
