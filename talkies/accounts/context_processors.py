from django.http import HttpRequest


def current_site(request: HttpRequest) -> dict:
    return {"site": getattr(request, "site", None)}
