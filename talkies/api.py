"""The JSON API root: one Ninja router per app, mounted under /api/v1/ (OpenAPI at /api/v1/openapi.json)."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Talkies API",
    version="1",
    description="Films, stories, threads, comments, votes and ratings. Errors name the field and the problem.",
    urls_namespace="api",
)
