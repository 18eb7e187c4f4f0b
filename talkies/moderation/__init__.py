"""Moderation and safety: queues, pre-moderation rules, word lists, reader reports, sanctions on authors,
offline text signals and an append-only audit log.

On the floor above comments: comments never imports this app. It screens new comments through the
screening hook that talkies.comments.screening offers, acts on comments through the comments services,
and follows what happens to them through the thread events.
"""
