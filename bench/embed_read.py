"""The embed's thread read beside the first-party fast path, on one server, in one run.

    .venv/bin/python bench/embed_read.py [--duration 6] [--connections 32]

Seeds threads of 10, 200 and 2,000 comments (bench/seed_threads.py), lets a publisher's origin embed
the site, starts `talkies serve --workers 2` in production mode on SQLite, and measures with the
built-in generator (bench/loadgen.py) requests per second of:
- the fast path: GET /api/v1/threads/{id}/comments?sort=old&limit=200, no Origin;
- the embed read, as embed.js makes it: ?sort=best&limit=20&site=<slug> with the publisher's Origin.
It prints both and their ratio (issue 12's target: the embed read ≥ 0.8× the fast path). The full
picture (nginx, Isso, HTML pages, feeds, writes, memory) is bench/full.py's job.
"""

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.loadgen import run_load  # noqa: E402
from bench.servers import HOST, free_port, prepare_talkies_database, talkies_environment, talkies_server  # noqa: E402

ORIGIN = "https://publisher.example"
EMBED_QUERY = "sort=best&limit=20&site=bench"  # what embed.js asks for


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=6.0)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="talkies-bench-embed-") as tmp:
        env = talkies_environment(Path(tmp))
        threads = prepare_talkies_database(env, [10, 200, 2000], embed_origin=ORIGIN)
        port = free_port()
        with talkies_server(env, port=port, workers=2, log_path=Path(tmp) / "server.log") as server:
            server.wait_until_ready(f"http://{HOST}:{port}/api/v1/session")
            for thread in threads:
                base = f"http://{HOST}:{port}/api/v1/threads/{thread.thread_id}/comments"
                rates = []
                for name, url, headers in (
                    ("fast path (old, 200)", f"{base}?sort=old&limit=200", None),
                    (
                        "embed read (best, 20, site, Origin)",
                        f"{base}?sort=best&limit=20&site=bench",
                        {"Origin": ORIGIN},
                    ),
                ):
                    result = asyncio.run(
                        run_load(url, connections=args.connections, duration=args.duration, warmup=1, headers=headers)
                    )
                    rates.append(result.requests / result.duration_s)
                    print(f"{thread.comments:>5} comments  {name:38} {rates[-1]:>8.0f} req/s  errors {result.errors}")
                print(f"{'':>15}embed read / fast path = {rates[1] / rates[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
