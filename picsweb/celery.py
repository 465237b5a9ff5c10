"""The Celery app. Tasks are thin: they take IDs and call a service."""

from __future__ import annotations

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "picsweb.settings")

app = Celery("picsweb")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = [Queue(name) for name in ("default", "imports", "exports")]
app.autodiscover_tasks()
