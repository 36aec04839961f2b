"""GitHub Actions events: the payload at GITHUB_EVENT_PATH (the same JSON as webhooks), read defensively."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crowdcare.adapters.convert import person_from_rest_user, thread_from_discussion_event, thread_from_issue
from crowdcare.core.errors import BadInputError
from crowdcare.core.model import PersonRef, Thread

SUPPORTED = ("issues", "issue_comment", "discussion", "discussion_comment")
MAX_PAYLOAD_BYTES = 25 * 1024 * 1024  # GitHub caps webhook payloads at 25 MB
GONE_ACTIONS = {"deleted", "transferred"}


@dataclass(frozen=True)
class Event:
    name: str
    action: str
    subject: dict[str, Any]  # the payload's issue or discussion object
    thread: Thread
    skip_reason: str | None = None  # set when the event concerns no thread we take in
    sender: PersonRef | None = None  # who caused the event (for a label: who applied it)


def read_event(path: Path, name: str) -> Event:
    """The thread an event is about. Raises BadInputError (exit 2) for unreadable or unsupported events."""
    if name not in SUPPORTED:
        raise BadInputError(f"event {name!r} is not one intake handles; supported: {', '.join(SUPPORTED)}")
    try:
        if path.stat().st_size > MAX_PAYLOAD_BYTES:
            raise BadInputError(f"{path}: larger than GitHub's 25 MB payload limit")
        payload = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise BadInputError(f"{path}: no such event file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadInputError(f"{path}: not a JSON event payload ({exc})") from None
    if not isinstance(payload, dict):
        raise BadInputError(f"{path}: an event payload is a JSON object")
    action = str(payload.get("action") or "")
    key = "issue" if name in ("issues", "issue_comment") else "discussion"
    subject = payload.get(key)
    if not isinstance(subject, dict) or not isinstance(subject.get("number"), int):
        raise BadInputError(f"{path}: a {name} event needs a {key!r} object with a number")
    thread = thread_from_issue(subject) if key == "issue" else thread_from_discussion_event(subject)
    skip = None
    if name in ("issues", "discussion") and action in GONE_ACTIONS:
        skip = f"the {key} was {action}"
    elif key == "issue" and "pull_request" in subject:
        skip = "a pull request, not a customer thread"
    sender = person_from_rest_user(payload["sender"])[0] if isinstance(payload.get("sender"), dict) else None
    return Event(name=name, action=action, subject=subject, thread=thread, skip_reason=skip, sender=sender)
