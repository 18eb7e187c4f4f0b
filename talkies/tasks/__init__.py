"""Durable background work: a queue of tasks in the database and the worker that runs them.

talkies.tasks.queue has `enqueue` and `@task`; talkies.tasks.email queues emails; talkies.tasks.worker is
the loop behind `talkies worker`. It sits on the ground floor, beside lib, so every app can queue work.
"""
