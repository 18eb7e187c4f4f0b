"""The JSON API root: one Ninja router per app, mounted under /api/v1/ (OpenAPI at /api/v1/openapi.json).

Also here, because they belong to no single app:
- the error handlers, so every error has one shape, {"error": message, "field": name-or-null};
- a film's detail and scores: the catalogue's detail with the film's scorecard (talkies.scorecard, which
  sets the critics beside the audience), which the catalogue, on the floor below, must not import;
- the session endpoint, where a browser client learns who is logged in and gets its CSRF token;
- a JSON 404 for paths under /api/v1/ that match no endpoint.
"""

from dataclasses import dataclass, fields
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.middleware.csrf import get_token
from django.utils import timezone
from django.views import defaults
from ninja import Field, NinjaAPI, Router, Schema
from ninja.errors import HttpError, ValidationError

from talkies.accounts.api_auth import LoggedIn, current_site
from talkies.catalogue.api import router as catalogue_router
from talkies.catalogue.schemas import FilmDetailOut
from talkies.catalogue.selectors import FilmDetail, film_by_slug, film_detail
from talkies.comments.api import router as comments_router
from talkies.embed.api import SiteApiKeyIfSent
from talkies.embed.api import router as embed_router
from talkies.lib.api import READ_ERRORS, ErrorOut
from talkies.lib.errors import ServiceError
from talkies.lib.ratelimit import RateLimited
from talkies.lib.text import Text
from talkies.moderation.api import router as moderation_router
from talkies.ratings.api import router as ratings_router
from talkies.ratings.schemas import AudienceScoreOut
from talkies.scorecard.selectors import FilmScorecard, film_scorecards
from talkies.stories.api import router as stories_router
from talkies.stories.schemas import CriticSideOut

api = NinjaAPI(
    title="Talkies API",
    version="1",
    description="Films, stories, threads, comments, votes and ratings. Errors name the field and the problem.",
    urls_namespace="api",
)

# Where a validation error happened: Ninja prefixes the request part, and body errors also carry the
# name of the operation's one body parameter, neither of which the client ever wrote.
REQUEST_PARTS = {"body", "query", "path", "header", "cookie", "form", "file"}


# --- Errors -----------------------------------------------------------------------------------------


def error_response(request: HttpRequest, status: int, message: str, field: str | None = None) -> HttpResponse:
    return api.create_response(request, {"error": message, "field": field}, status=status)


@api.exception_handler(ServiceError)
def service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    """Input a service refused (400), an action not allowed (403), or something that is not there (404)."""
    return error_response(request, exc.status_code, exc.message, exc.field)


def field_path(location: tuple[Any, ...] | list[Any]) -> str:
    """("body", "payload", "value") -> "value"; ("query", "limit") -> "limit"; ("body", "payload") -> "body"."""
    parts = list(location)
    if parts and parts[0] == "body":
        parts = parts[2:] or ["body"]
    elif parts and parts[0] in REQUEST_PARTS:
        parts = parts[1:]
    return ".".join(str(part) for part in parts) or "request"


@api.exception_handler(RateLimited)
def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    """429 with Retry-After, so clients that honour the header wait exactly as long as the message says."""
    response = error_response(request, exc.status_code, exc.message, exc.field)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """422 naming every field at fault; `error` and `field` describe the first, for simple clients."""
    errors = [{"field": field_path(e["loc"]), "message": e["msg"]} for e in exc.errors]
    first = errors[0]
    body = {"error": f"{first['field']}: {first['message']}", "field": first["field"], "errors": errors}
    return api.create_response(request, body, status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Ninja's own refusals: 401 not logged in, 403 CSRF, 400 a body that is not JSON."""
    if exc.status_code == 400 and exc.message.startswith("Cannot parse request body"):
        return error_response(request, 400, "body is not valid JSON: send a JSON object", "body")
    return error_response(request, exc.status_code, exc.message)


@api.exception_handler(RequestDataTooBig)
def body_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    """Django refuses to read a body past DATA_UPLOAD_MAX_MEMORY_SIZE; with DEBUG off it would answer
    with its HTML 400 page, which no API client can read."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return error_response(request, 413, f"the request body is larger than this server accepts ({limit} bytes)", "body")


@api.exception_handler(TooManyFieldsSent)
def too_many_fields(request: HttpRequest, exc: TooManyFieldsSent) -> HttpResponse:
    """Past DATA_UPLOAD_MAX_NUMBER_FIELDS parameters, in the query string or a form body."""
    part = "query" if request.method in ("GET", "HEAD") else "body"
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    return error_response(request, 400, f"the request has more than {limit} parameters", part)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's handler400 (talkies/urls.py): the API's JSON shape under /api/v1/, Django's page elsewhere.

    For what Django refuses before a view runs, such as a query string past DATA_UPLOAD_MAX_NUMBER_FIELDS
    that a middleware reads first; inside an API view the handlers above answer.
    """
    if not request.path.startswith("/api/v1/"):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return body_too_large(request, exception)
    if isinstance(exception, TooManyFieldsSent):
        return too_many_fields(request, exception)
    return error_response(request, 400, "the request cannot be read", "request")


@api.exception_handler(MultiPartParserError)
def bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    """A multipart body Django cannot split (no boundary, say): the API takes JSON bodies anyway."""
    return error_response(request, 400, f"the multipart body cannot be read ({exc}): send a JSON object", "body")


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, str(exc) or "not found")


# --- The session, for browser clients ---------------------------------------------------------------


class SessionUserOut(Schema):
    username: str
    name: str


class SessionOut(Schema):
    user: SessionUserOut | None = Field(description="null when nobody is logged in")
    csrf_token: str = Field(description="Send back in an X-CSRFToken header on every write")


@api.get("/session", response=SessionOut, tags=["session"])
def get_session(request: HttpRequest) -> dict[str, Any]:
    """Who is logged in, and a CSRF token for writes. Also sets the csrftoken cookie the token pairs with.

    A client that talks only to the API never loads a page that would hand it a CSRF cookie; this is
    where it gets one.
    """
    user = request.user
    return {
        "user": {"username": user.username, "name": user.public_name} if user.is_authenticated else None,
        "csrf_token": get_token(request),
    }


# --- A film with its scores: critics beside the audience --------------------------------------------


class FilmScoresOut(Schema):
    """A FilmScorecard (talkies.scorecard), as the film page's critic-vs-audience panel shows it."""

    critic: CriticSideOut
    audience: AudienceScoreOut
    divergence: Literal["critics", "audience"] | None = Field(
        description="'critics' when critics liked the film 20+ points (of 100) more than readers, "
        "'audience' for the reverse, null when they broadly agree or either side is not shown yet"
    )


class FilmWithScoresOut(FilmDetailOut):
    scores: FilmScoresOut


@dataclass(frozen=True)
class FilmWithScores(FilmDetail):
    """FilmWithScoresOut: the catalogue's detail of a film, and its scorecard on this site."""

    scores: FilmScorecard


films_router = Router(tags=["catalogue"])


@films_router.get("/films/{slug}", response={200: FilmWithScoresOut, **READ_ERRORS})
def get_film(request: HttpRequest, slug: Text) -> FilmWithScores:
    """A film: titles, release dates and status in the site's region, credits, franchises and scores."""
    site = current_site(request)
    today = timezone.localdate()
    detail = film_detail(slug=slug, region=site.region, on=today)
    (scores,) = film_scorecards(site=site, films=[detail.summary.film], today=today)
    return FilmWithScores(**{f.name: getattr(detail, f.name) for f in fields(detail)}, scores=scores)


@films_router.get("/films/{slug}/scores", response={200: FilmScoresOut, **READ_ERRORS})
def get_film_scores(request: HttpRequest, slug: Text, include_held: bool = False) -> FilmScorecard:
    """The critics' reviews on this site beside the site's audience score.

    Ratings in a suspected review bomb are left out (`audience.held` says how many) unless
    `include_held=true` asks for the "all ratings" view.
    """
    site = current_site(request)
    (scores,) = film_scorecards(
        site=site, films=[film_by_slug(slug)], today=timezone.localdate(), include_held=include_held
    )
    return scores


# --- Anything else under /api/v1/ -------------------------------------------------------------------

fallback_router = Router()


@fallback_router.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:unknown}", include_in_schema=False, response={404: ErrorOut}
)
def no_such_endpoint(request: HttpRequest, unknown: str) -> HttpResponse:
    # Without this, a mistyped path would get Django's HTML 404 page, which an API client cannot read.
    return error_response(
        request, 404, f"no endpoint at {request.path}: the endpoints are listed at /api/v1/docs", "path"
    )


api.add_router("", catalogue_router)
api.add_router("", films_router)
api.add_router("", ratings_router)
api.add_router("", stories_router)
api.add_router("", comments_router)
api.add_router("", embed_router)
# A site's API key if one is sent, else a moderator's session: LoggedIn refuses outright when there is no
# session (see its docstring), so it must come last.
api.add_router("", moderation_router, auth=[SiteApiKeyIfSent(), LoggedIn("moderate comments")])
api.add_router("", fallback_router)  # last: it matches every path the others did not
