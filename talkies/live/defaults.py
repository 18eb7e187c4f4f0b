"""Default limits of live streams, in a module without Django so `talkies serve` can size granian by them.

settings.py reads each from the environment (LIVE_STREAMS_PER_ADDRESS and the rest, docs/live-updates.md),
falling back to these; `talkies serve` reads LIVE_STREAMS_PER_PROCESS the same way.
"""

# A reader holds one stream per open story page. 64 leaves room for an office or a campus behind one
# address, and stops a single client from taking a process's streams (issue 13: 1,024 streams from one
# `curl` loop used to leave the server answering nobody).
STREAMS_PER_ADDRESS = 64
# 5,000 a worker: 10,000 on a two-worker node (bench/live_streams.py measures what that costs).
STREAMS_PER_PROCESS = 5000
# A stream that has carried no event for this long ends, telling the browser (retry:) when to come back;
# it resumes with Last-Event-ID, losing nothing. Dead clients behind proxies that never reset the
# connection are let go, and a quiet thread's readers spread again over the workers.
STREAM_IDLE_SECONDS = 300
# What a refused stream is told to wait before asking again (Retry-After).
REFUSED_RETRY_AFTER_SECONDS = 30
