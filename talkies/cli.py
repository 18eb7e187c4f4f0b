"""The `talkies` command: `talkies serve` runs the production server; anything else is a manage.py command.

talkies serve [--host 127.0.0.1] [--port 8000] [--workers N]
talkies demo [--reset]
talkies migrate | createsuperuser | <any Django management command>
"""

import argparse
import os
import sys


def serve(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="talkies serve", description="Serve Talkies with granian (ASGI).")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_WORKERS", "0")) or (os.cpu_count() or 1),
        help="worker processes (default: one per CPU core, or WEB_WORKERS)",
    )
    parser.add_argument("--access-log", action="store_true", help="log every request")
    args = parser.parse_args(argv)

    from django.conf import settings
    from django.core.management import call_command

    if not (settings.DEBUG or settings.TESTING):
        # Production serves hashed, compressed files from STATIC_ROOT through WhiteNoise.
        call_command("collectstatic", interactive=False, verbosity=0)

    from granian import Granian
    from granian.constants import Interfaces

    print(f"Talkies is serving on http://{args.host}:{args.port}/ with {args.workers} worker(s). Ctrl-C stops it.")
    Granian(
        "talkies.asgi:application",
        address=args.host,
        port=args.port,
        # Django has no lifespan handler; the no-lifespan interface skips a start-up probe and its warning.
        interface=Interfaces.ASGINL,
        workers=args.workers,
        log_access=args.access_log,
        respawn_failed_workers=True,
    ).serve()


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talkies.settings")
    import django

    django.setup()
    if argv and argv[0] == "serve":
        serve(argv[1:])
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(["talkies", *argv])


if __name__ == "__main__":
    main()
