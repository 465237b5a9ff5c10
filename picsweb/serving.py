"""What a web process does once, after Django is set up and before it serves a request."""

from __future__ import annotations

import gc

from django.urls import get_resolver


def ready_to_serve() -> None:
    """Loads every view (the URLconf imports them) and then moves everything loaded so far out
    of the garbage collector's reach (gc.freeze): Django, the apps and their libraries are
    about 125,000 objects that live as long as the process. Without this, each full
    collection walks all of them, a pause of about 30 ms in the middle of whichever request
    triggered it, which put the learner list's p95 above 150 ms (bench/learner_list.py) while
    its median was a third of that. Objects made by requests are collected as before."""
    get_resolver().url_patterns  # noqa: B018 (imports the URLconf and every view module)
    gc.collect()
    gc.freeze()
