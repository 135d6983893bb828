"""Hands the results of background jobs back to the UI thread as Qt signals.

A job's done-callback runs on the worker thread; emitting a signal of a QObject
that lives on the UI thread queues the call there, so slots always run on the UI
thread. Results of superseded (cancelled) jobs are dropped. A job that failed in a worker process
(:class:`commandcenter.services.process_jobs.JobFailed`) already carries its one-line message; other errors
are reduced to one line (type and first line of the message), never a traceback.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from commandcenter.services.jobs import Job, JobRunner
from commandcenter.services.process_jobs import JobFailed, one_line


class JobBridge(QObject):
    """Submits work to a :class:`JobRunner` and emits ``finished``/``failed`` on the UI thread."""

    #: kind, result
    finished = Signal(str, object)
    #: kind, error message
    failed = Signal(str, str)
    #: kind
    started = Signal(str)

    def __init__(self, runner: JobRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner

    def submit(self, kind: str, work) -> Job:  # type: ignore[no-untyped-def]
        """Run ``work(token)`` in the background as the live job of ``kind``; returns the job."""
        job = self.runner.submit(kind, work)
        self.started.emit(kind)
        job.add_done_callback(self._done)
        return job

    def _done(self, job: Job) -> None:
        if self.runner.live(job.kind) is not job:
            return
        status, value = job.outcome()
        if status == "ok":
            self.finished.emit(job.kind, value)
        elif status == "failed":
            self.failed.emit(job.kind, str(value) if isinstance(value, JobFailed) else one_line(value))
