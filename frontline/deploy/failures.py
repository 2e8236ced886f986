"""What a remote target raises when it cannot publish: one message a person can act on, in Vietnamese."""

from __future__ import annotations

import os

# Variables whose values are secrets: a message that quotes a server's answer is scrubbed of them before it is shown.
SECRET_VARIABLES = ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECURITY_TOKEN")


class TargetFailed(ValueError):
    """A publish, rollback or listing that did not happen; the message never carries a credential. A ValueError,
    which the publish command reports as a message (as it does a destination it cannot use)."""

    def __init__(self, message: str) -> None:
        super().__init__(scrub(message))


def scrub(text: str) -> str:
    """``text`` with the value of every credential variable of the environment replaced by ``***``."""
    for name in SECRET_VARIABLES:
        value = os.environ.get(name, "")
        if len(value) >= 4:
            text = text.replace(value, "***")
    return text
