"""Errors shared by every app."""


class DomainError(Exception):
    """A rule of the domain refused an action; the message is written for a person to read."""

    def __init__(self, message, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return str(self.message)
