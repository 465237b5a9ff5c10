"""A real Celery worker process on the test database and Redis, for tests marked `worker`."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    mail_dir: Path
    log: Path

    def emails(self) -> list[Message]:
        return [message_from_bytes(p.read_bytes()) for p in sorted(self.mail_dir.glob("*.log"))]

    def wait_for_email(self, count: int = 1, timeout: float = 20) -> list[Message]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.emails()
            if len(found) >= count:
                return found
            time.sleep(0.2)
        raise AssertionError(f"expected {count} email(s), found {len(self.emails())}")

    def clear_mail(self) -> None:
        for path in self.mail_dir.glob("*.log"):
            path.unlink()


def _test_database_url() -> str:
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.skip("the real-worker tests need PostgreSQL (make test sets it up)")
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


def _env(mail_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "DB_CONN_MAX_AGE": "0",
        "JOB_HEARTBEAT_SECONDS": "1",  # so tests can see a quiet job's heartbeat
        "IMPORT_MEMORY_LIMIT_MB": "128",  # so a 4 MB workbook can overrun the reader's limit
    }


def start_worker(tmp: Path) -> Iterator[Worker]:
    broker = settings.CELERY_BROKER_URL
    if not broker.startswith("redis://"):
        pytest.skip("the real-worker tests need Redis (make test sets CELERY_BROKER_URL)")
    redis.Redis.from_url(broker).flushdb()
    mail_dir = tmp / "mail"
    mail_dir.mkdir()
    worker = Worker(_launch(tmp / "worker.log", mail_dir), mail_dir, tmp / "worker.log")
    try:
        yield worker
    finally:
        worker.process.terminate()
        try:
            worker.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.process.kill()


def relaunch_if_dead(worker: Worker) -> None:
    """A test that killed the worker's main process leaves the next test a new worker."""
    if worker.process.poll() is None:
        return
    for pid in worker_children(worker.process.pid):  # a pool process the kill left behind
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    worker.process = _launch(worker.log, worker.mail_dir)


def worker_children(parent: int) -> list[int]:
    """The processes whose parent is `parent` (the worker's pool), found through /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                found.append(int(entry))
    return found


def _launch(log: Path, mail_dir: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as log_handle:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "picsweb",
                "worker",
                "-Q",
                "default,imports,exports",
                "--concurrency",
                "1",
                "--include",
                "tests.worker_jobs",
                "--without-mingle",
                "--without-gossip",
                "-n",
                f"test-{os.getpid()}@%h",
                "--loglevel",
                "INFO",
            ],
            cwd=ROOT,
            env=_env(mail_dir),
            stdout=log_handle,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while b"ready." not in log.read_bytes():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("the Celery worker did not start:\n" + log.read_text())
        time.sleep(0.2)
    return process


def start_beat(worker: Worker, tmp: Path, **env: str) -> Iterator[subprocess.Popen[bytes]]:
    """Celery beat, as `make run` starts it, sending its periodic tasks to `worker`."""
    log = tmp / "beat.log"
    with log.open("wb") as log_handle:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "picsweb",
                "beat",
                "--schedule",
                str(tmp / "beat-schedule"),
                "--loglevel",
                "INFO",
            ],
            cwd=ROOT,
            env={**_env(worker.mail_dir), **env},
            stdout=log_handle,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def sweep_an_hour_later() -> int:
    """What Celery beat's stale-job sweep does, run as if an hour had passed since every
    job's last heartbeat. The test worker goes on beating, so a zero threshold would race with
    a beat written between the sweep's cutoff and its update."""
    from picsweb.jobs import job_fail_stale

    return job_fail_stale(now=timezone.now() + timedelta(hours=1))
