"""Talkies on two nodes behind nginx, as deploy/ sets it up, proved through nginx alone (issue 12).

Every request goes to one of three nginx instances running deploy/nginx/talkies.conf (see cluster.py):
`balancer`, the file as shipped, and `via_a` / `via_b`, the same file with only node A or only node B in
its upstream, which is how a test says "on node A". No test talks to a node directly.

The tests share one cluster and run in this file's order; the last one kills node A.
"""

import http.client
import threading
import time
import uuid

import pytest

from .cluster import DEMO_PASSWORD, Browser, Cluster, LiveReader, wait_until

pytestmark = pytest.mark.cluster

READER = "wickwatcher"
SECOND_READER = "popcornprophet"
VOTER = "concierge_theo"
DELIVERY_LIMIT_SECONDS = 1.0


def comments_path(cluster: Cluster) -> str:
    return f"/api/v1/threads/{cluster.thread_id}/comments"


def post_comment(browser: Browser, cluster: Cluster, body: str) -> int:
    response = browser.write("POST", comments_path(cluster), {"body": body})
    assert response.status == 201, (response.status, response.body[:500])
    return response.json()["id"]


def test_the_cluster_runs_from_the_deploy_files(cluster: Cluster) -> None:
    print(
        f"\nnodes on {cluster.node_ports}, nginx on {cluster.nginx_ports}; "
        f"talkies serve --no-worker: {'yes' if cluster.no_worker_flag else 'not supported yet, started without it'}; "
        f"talkies worker: {'running' if cluster.worker_started else 'no such command yet, not started'}"
    )
    for via, node in (("via_a", "a"), ("via_b", "b")):
        response = cluster.browser(via).get("/api/v1/session")
        assert response.status == 200
        assert response.header("X-Talkies-Upstream") == cluster.upstream(node)
    if cluster.worker_started:
        assert cluster.services["worker"].alive(), cluster.services["worker"].log()


def test_a_comment_posted_through_node_a_reaches_a_stream_held_on_node_b_within_a_second(cluster: Cluster) -> None:
    writer = cluster.browser("via_a")
    writer.log_in(READER, DEMO_PASSWORD)
    stream = LiveReader(cluster.nginx_ports["via_b"], f"/live/threads/{cluster.thread_id}/").start()
    try:
        assert stream.connections[0][1:] == (cluster.upstream("b"), 200)
        posted_at = time.monotonic()
        comment_id = post_comment(writer, cluster, "Seen live on the other node")
        event = stream.wait_for_comment(comment_id, timeout=5)
        latency = time.monotonic() - posted_at
    finally:
        stream.stop()
    print(f"\ncomment {comment_id} posted through node A arrived on node B's stream after {latency * 1000:.0f} ms")
    assert event.data["comment"]["body_html"] == "<p>Seen live on the other node</p>\n"
    assert latency < DELIVERY_LIMIT_SECONDS


def test_a_page_stored_on_both_nodes_changes_on_both_after_a_write(cluster: Cluster) -> None:
    """The thread's first page, as the fast path stores it: an ETag, and 304 for If-None-Match with it,
    come only from a stored page (Django's own answer has neither)."""
    page = comments_path(cluster) + "?sort=new"
    readers = {node: cluster.browser(f"via_{node}") for node in ("a", "b")}
    before = readers["a"].get(page)
    assert before.status == 200 and before.header("X-Talkies-Upstream") == cluster.upstream("a")
    etag = before.header("ETag")
    assert etag, "the fast path sends stored pages with an ETag"
    for node, reader in readers.items():
        again = reader.get(page, headers={"If-None-Match": etag})
        assert (again.status, again.header("X-Talkies-Upstream")) == (304, cluster.upstream(node)), node

    writer = cluster.browser("via_a")
    writer.log_in(SECOND_READER, DEMO_PASSWORD)
    comment_id = post_comment(writer, cluster, "A write both nodes must show")

    etags = set()
    for node, reader in readers.items():
        after = reader.get(page, headers={"If-None-Match": etag})
        assert after.status == 200, f"node {node} still sends the page from before the write"
        assert after.header("X-Talkies-Upstream") == cluster.upstream(node)
        assert after.json()["comments"][0]["id"] == comment_id
        etags.add(after.header("ETag"))
    assert len(etags) == 1 and etag not in etags
    (new_etag,) = etags
    for node, reader in readers.items():  # and the new page is stored on both
        assert reader.get(page, headers={"If-None-Match": new_etag}).status == 304, node


def test_a_rate_limit_is_counted_once_across_nodes(cluster: Cluster) -> None:
    """Votes are limited to 4 an hour per client address here (cluster.TEST_SETTINGS). Alternating nodes,
    the fifth vote is refused although neither node has seen more than three: the count is shared.

    Each browser connects from a loopback address of its own; nginx passes it in X-Forwarded-For, and the
    nodes believe it because the connection comes from TRUSTED_PROXIES (deploy/talkies.env.example).
    """
    author = cluster.browser("via_a")
    author.log_in(READER, DEMO_PASSWORD)
    comment_id = post_comment(author, cluster, "Vote on this")
    path = f"/api/v1/comments/{comment_id}/vote"

    voter = cluster.browser("via_a", source="127.0.0.2")
    voter.log_in(VOTER, DEMO_PASSWORD)
    statuses = []
    for via in ("via_a", "via_b", "via_a", "via_b", "via_a"):
        statuses.append(voter.at(cluster.nginx_ports[via]).write("POST", path, {"value": 1}).status)
    assert statuses == [200, 200, 200, 200, 429]

    refused = voter.at(cluster.nginx_ports["via_b"]).write("POST", path, {"value": 1})
    assert refused.status == 429 and int(refused.header("Retry-After")) > 0
    # Making up an address does not help: nginx appends the real one, and the nodes read from the right.
    forged = voter.at(cluster.nginx_ports["via_b"]).write(
        "POST", path, {"value": 1}, headers={"X-Forwarded-For": "203.0.113.7"}
    )
    assert forged.status == 429
    # Another address (the same account: votes are limited per address only here) still votes, so the
    # count was the client's, not nginx's own address shared by everyone.
    elsewhere = Browser(port=cluster.nginx_ports["via_b"], source="127.0.0.3", cookies=dict(voter.cookies))
    elsewhere.csrf_token = voter.csrf_token
    assert elsewhere.write("POST", path, {"value": 1}).status == 200


def test_a_session_made_on_node_a_works_on_node_b(cluster: Cluster) -> None:
    on_a = cluster.browser("via_a")
    on_a.log_in(SECOND_READER, DEMO_PASSWORD)
    on_b = on_a.at(cluster.nginx_ports["via_b"])
    session = on_b.get("/api/v1/session")
    assert session.header("X-Talkies-Upstream") == cluster.upstream("b")
    assert session.json()["user"]["username"] == SECOND_READER
    # …and writes with it: the session, and the CSRF token node A handed out, are good on B.
    comment_id = post_comment(on_b, cluster, "Posted on B with a session from A")
    assert cluster.query(
        "SELECT a.username FROM comments_comment c JOIN accounts_user a ON a.id = c.author_id WHERE c.id = %s",
        comment_id,
    ) == [(SECOND_READER,)]


def test_nginx_caches_anonymous_pages_for_as_long_as_the_app_allows(cluster: Cluster) -> None:
    """The balancer keeps an anonymous page for the app's s-maxage; a signed-in reader is never served
    from the cache (nor stored in it)."""
    page = comments_path(cluster) + "?sort=new&limit=5"
    anonymous = cluster.browser()
    first = anonymous.get(page)
    assert first.status == 200 and "s-maxage" in first.header("Cache-Control"), first.header("Cache-Control")
    assert anonymous.get(page).header("X-Talkies-Cache") == "HIT"

    signed_in = cluster.browser()
    signed_in.log_in(READER, DEMO_PASSWORD)
    assert signed_in.get(page).header("X-Talkies-Cache") == "BYPASS"
    for cookie in ("sessionid=x", "talkies_guest=x", "talkies_guest_name=x", "messages=x"):
        assert anonymous.get(page, headers={"Cookie": cookie}).header("X-Talkies-Cache") == "BYPASS", cookie
    assert anonymous.get(page, headers={"Authorization": "Bearer x"}).header("X-Talkies-Cache") == "BYPASS"

    # A write reaches anonymous readers once the cached copy is older than the app's s-maxage.
    max_age = int(first.header("Cache-Control").split("s-maxage=")[1].split(",")[0])
    comment_id = post_comment(signed_in, cluster, "Through the cache")
    assert signed_in.get(page).json()["comments"][0]["id"] == comment_id  # a reader sees their own at once
    wait_until(
        lambda: anonymous.get(page).json()["comments"][0]["id"] == comment_id,
        timeout=max_age + 3,
        what="the write to show through nginx's cache",
    )


def test_with_node_a_killed_under_load_nothing_acknowledged_is_lost(cluster: Cluster) -> None:
    """Three writers post through the balancer without pause, a signed-in reader loads the page, and a
    reader holds the thread's stream on node A; node A is killed (SIGKILL, with requests in flight). nginx
    must send everything after to node B, the stream must resume there from its Last-Event-ID, and every
    comment that got a 201 must be in the database and must have reached the stream."""
    balancer = cluster.nginx_ports["balancer"]
    writer = cluster.browser()
    writer.log_in(READER, DEMO_PASSWORD)
    stream_path = f"/live/threads/{cluster.thread_id}/"
    # Round robin: of two streams opened one after the other, one is on node A.
    streams = [LiveReader(balancer, stream_path).start() for _ in range(2)]
    on_a = [s for s in streams if s.connections[0][1] == cluster.upstream("a")]
    assert on_a, f"neither stream is on node A: {[s.connections for s in streams]}"
    stream = on_a[0]
    for other in streams:
        if other is not stream:
            other.stop()

    acknowledged: list[int] = []  # comments that got a 201
    refused: list[str] = []  # anything else a writer got: allowed, as long as no 201 is lost
    reads: list[int | str] = []  # what a signed-in reader (never served from nginx's cache) got meanwhile
    stop = threading.Event()
    run = uuid.uuid4().hex[:8]

    def write(number: int) -> None:
        count = 0
        while not stop.is_set():
            count += 1
            try:
                response = writer.write("POST", comments_path(cluster), {"body": f"Load {run} {number}.{count}"})
            except (OSError, http.client.HTTPException) as error:
                refused.append(f"{type(error).__name__}: {error}")
                continue
            if response.status == 201:
                acknowledged.append(response.json()["id"])
            else:
                refused.append(f"{response.status} {response.body[:200]!r}")

    reader = cluster.browser()
    reader.log_in(SECOND_READER, DEMO_PASSWORD)

    def read() -> None:
        while not stop.is_set():
            try:
                reads.append(reader.get(comments_path(cluster) + "?sort=new").status)
            except (OSError, http.client.HTTPException) as error:
                reads.append(f"{type(error).__name__}: {error}")
            time.sleep(0.05)

    # Three writers, so that requests are in flight on node A when it dies.
    workers = [threading.Thread(target=write, args=(number,)) for number in range(3)]
    workers.append(threading.Thread(target=read))
    for thread in workers:
        thread.start()
    try:
        wait_until(lambda: len(acknowledged) >= 10, timeout=20, what="the writer to get going")
        killed_at = len(acknowledged)
        cluster.services["node_a"].kill()
        wait_until(lambda: len(acknowledged) >= killed_at + 30, timeout=20, what="writes after node A died")
    finally:
        stop.set()
        for thread in workers:
            thread.join(timeout=20)

    try:
        wait_until(
            lambda: set(acknowledged) <= stream.comment_ids(),
            timeout=10,
            what="every acknowledged comment on the stream",
        )
    except TimeoutError:
        pass  # the assertion below says what is missing
    finally:
        stream.stop()

    written = cluster.query("SELECT count(*) FROM comments_comment WHERE body_source LIKE %s", f"Load {run} %")[0][0]
    print(
        f"\n{len(acknowledged)} comments acknowledged ({killed_at} before the kill), {written} stored, "
        f"{len(refused)} refused ({', '.join(sorted({r.split(' ')[0] for r in refused}))}); {len(reads)} page reads; "
        f"the stream's connections (Last-Event-ID, node, status): {stream.connections}"
    )
    missing = set(acknowledged) - stream.comment_ids()
    assert not missing, f"acknowledged comments the reader never saw: {sorted(missing)}"
    stored = {row[0] for row in cluster.query("SELECT id FROM comments_comment WHERE id = ANY(%s)", acknowledged)}
    assert stored == set(acknowledged), f"acknowledged but not stored: {sorted(set(acknowledged) - stored)}"

    # The stream broke with node A and resumed on node B from the last event it had seen.
    assert len(stream.connections) >= 2, stream.errors
    assert stream.connections[0][1] == cluster.upstream("a")
    resumed_from, upstream, status = stream.connections[1]
    assert resumed_from is not None and status == 200
    assert upstream.endswith(cluster.upstream("b")), upstream  # nginx may have tried A first: "A, B"
    replayed = [event.id for event in stream.events if event.connection >= 1]
    assert replayed and min(replayed) > resumed_from, "events before Last-Event-ID were sent again"
    assert len(replayed) == len(set(replayed))

    # Both nodes took writes before the kill, and the last ones all went to B; reads never failed (nginx
    # retries a GET on B).
    posts = [entry for entry in cluster.access_log("balancer") if entry["request"].startswith("POST")]
    assert {entry["upstream"] for entry in posts[:killed_at]} >= {cluster.upstream("a"), cluster.upstream("b")}
    assert all(entry["upstream"].endswith(cluster.upstream("b")) for entry in posts[-20:]), posts[-20:]
    assert reads and set(reads) == {200}, set(reads)
    if cluster.worker_started:
        assert cluster.services["worker"].alive(), cluster.services["worker"].log()
