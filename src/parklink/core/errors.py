"""One error hierarchy that carries its HTTP status; the API renders it as JSON."""

from __future__ import annotations

from typing import Any


class ParkLinkError(Exception):
    """Base of every rule violation a service reports to a caller."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, detail: Any = None) -> None:
        super().__init__(message)
        self.message = str(message)
        self.detail = detail

    def as_dict(self) -> dict[str, Any]:
        return {
            "error": self.code,
            "detail": self.detail if self.detail is not None else self.message,
            "message": self.message,
        }


class NotFound(ParkLinkError):
    status = 404
    code = "not_found"


class Forbidden(ParkLinkError):
    status = 403
    code = "forbidden"


class Conflict(ParkLinkError):
    status = 409
    code = "conflict"


class Invalid(ParkLinkError):
    """Well-formed input that breaks a rule (a bad USCC, an unknown region).

    `detail` maps field names to messages, so forms, API and imports show the same words.
    """

    status = 400
    code = "invalid"

    @classmethod
    def on(cls, field: str, message: str) -> Invalid:
        return cls(message, detail={field: message})


class IllegalTransition(Conflict):
    code = "illegal_transition"


class Duplicate(Conflict):
    code = "duplicate"


class ConfirmationRequired(Conflict):
    """Plausible but unusual input: accepted only when the caller confirms it (409)."""

    code = "confirmation_required"
