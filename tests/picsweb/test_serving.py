"""A web process loads every view and freezes its startup objects before it serves, so a full
garbage collection in the middle of a request does not walk Django (bench/learner_list.py:
pauses of ~30 ms that set the list's p95)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import gc, sys; import picsweb.wsgi; "
    "print(gc.get_freeze_count(), 'learners.views' in sys.modules, len(gc.get_objects()))"
)


def test_the_web_process_has_its_views_loaded_and_its_startup_objects_frozen():
    env = {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")},
        "DJANGO_SETTINGS_MODULE": "picsweb.settings",
        "DEBUG": "true",
        "PICSWEB_VAR_DIR": str(ROOT / "var" / "test"),
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    frozen, views_loaded, tracked = result.stdout.split()
    assert views_loaded == "True"
    # What a full collection still walks is a small part of what the process holds.
    assert int(frozen) > 50_000
    assert int(tracked) < int(frozen) // 10
