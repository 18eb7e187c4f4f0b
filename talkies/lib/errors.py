"""The one error type services raise for bad input, so every entry point can say which field was wrong."""

from django.http import Http404


class ServiceError(Exception):
    """Input a service refused. `field` names what was wrong; the message says why and what to do.

    The API answers it as 400 {"error": message, "field": field}; pages show it beside the field.
    """

    status_code = 400

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return self.message


class PermissionDenied(ServiceError):
    status_code = 403


class NotFound(ServiceError, Http404):
    """Nothing matches what the client asked for. A page shows Django's 404 for it (it is an Http404); the
    API answers 404 naming the field, because ServiceError comes first in the class's MRO."""

    status_code = 404


class Unauthorized(ServiceError):
    """A credential (an SSO payload, an API key) that is missing, forged or expired: 401 naming its field."""

    status_code = 401
