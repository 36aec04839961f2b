"""Errors raised by crowdcare's core. The CLI maps them to exit codes; the MkDocs plugin to PluginError."""

from __future__ import annotations


class CrowdcareError(Exception):
    """Base class. ``exit_code`` is what the CLI exits with: 1 for a failure, 2 for bad input or usage."""

    exit_code = 1


class BadInputError(CrowdcareError):
    """The user gave us something we cannot use (a path, a file, an option)."""

    exit_code = 2


class ContentError(CrowdcareError):
    """Content or config has findings that stop the operation (for example a site build)."""

    exit_code = 1

    def __init__(self, message: str, findings: tuple[object, ...] = ()) -> None:
        super().__init__(message)
        self.findings = findings


class ConfigError(ContentError):
    """crowdcare.yml is not usable: a command cannot start. Bad input (2), not a failure worth running again."""

    exit_code = 2


class TransientError(CrowdcareError):
    """GitHub did not answer as it should (rate limit, 5xx, network): running again later will finish the job."""

    exit_code = 1


class AmbiguousWriteError(TransientError):
    """A write failed in a way that may or may not have taken effect: reconcile by reading, never re-send."""


class ThreadGoneError(CrowdcareError):
    """The thread was deleted (or transferred away) while we worked on it."""

    exit_code = 0


class BranchMovedError(TransientError):
    """A branch changed while we were updating it (a push would not be a fast-forward): read again, then retry."""
