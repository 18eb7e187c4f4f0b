"""The queue: enqueue is part of the caller's transaction; running claims, retries with backoff, takes
back claims that ran out, and records an outcome only for the claim that is still current."""

import datetime
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from talkies.lib.events import EventChannel
from talkies.tasks.email import enqueue_email, send_email
from talkies.tasks.models import Task
from talkies.tasks.queue import RETRY_AFTER, enqueue, run_pending_tasks, run_task, task_name
from talkies.tasks.tests import tasks_for_tests as t


@pytest.fixture(autouse=True)
def _as_deployed(settings, db):
    """No task runs on commit: only what a test runs (as a worker would) runs."""
    settings.TASKS_RUN_IMMEDIATELY = False
    t.calls.clear()


def an_hour_later() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=1)


def make_due(row: Task) -> None:
    Task.objects.filter(pk=row.pk).update(run_after=timezone.now() - datetime.timedelta(seconds=1))


def test_a_task_is_queued_in_the_callers_transaction_and_rolled_back_with_it():
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(t.remember, value="rolled back")
        raise RuntimeError("the write failed")
    assert not Task.objects.exists()

    with transaction.atomic():
        row = enqueue(t.remember, value="kept")
    assert Task.objects.get() == row
    assert row.name == "talkies.tasks.tests.tasks_for_tests.remember"
    assert (row.args, row.status) == ({"value": "kept"}, "pending")


def test_an_in_transaction_receiver_queues_with_the_write_and_is_not_shielded():
    channel: EventChannel[str] = EventChannel("test")
    channel.connect_in_transaction(lambda event: enqueue(t.remember, value=event), dispatch_uid="queue")

    with pytest.raises(RuntimeError), transaction.atomic():
        channel.send_on_commit("rolled back")
        raise RuntimeError("the write failed")
    with transaction.atomic():
        channel.send_on_commit("committed")
    assert list(Task.objects.values_list("args", flat=True)) == [{"value": "committed"}]

    channel.connect_in_transaction(lambda event: 1 / 0, dispatch_uid="broken")
    with pytest.raises(ZeroDivisionError):
        channel.send_on_commit("a broken receiver fails the write")


def test_arguments_that_are_not_json_are_refused_when_queued():
    with pytest.raises(TypeError):
        enqueue(t.remember, value=object())
    with pytest.raises(TypeError, match="not a task"):
        enqueue(t.not_a_task)


def test_run_pending_tasks_runs_due_tasks_and_those_they_queue_once_each():
    enqueue(t.fan_out, values=[1, 2])
    enqueue(t.remember, value="later", run_after=an_hour_later())

    assert run_pending_tasks() == 3
    assert run_pending_tasks() == 0

    assert sorted(t.calls, key=str) == [1, 2]
    assert Task.objects.filter(status="done").count() == 3
    later = Task.objects.get(status="pending")
    assert later.args == {"value": "later"} and later.attempts == 0


def test_a_failing_task_is_retried_after_1_5_and_30_minutes_then_marked_failed(caplog):
    row = enqueue(t.fail, message="the mail server is down")
    waits = []
    for attempt in (1, 2):
        before = timezone.now()
        run_task(row.pk, worker_id="w")
        row.refresh_from_db()
        assert (row.status, row.attempts, row.claimed_until) == ("pending", attempt, None)
        assert "RuntimeError: the mail server is down" in row.last_error
        waits.append(row.run_after - before)
        assert run_task(row.pk, worker_id="w") is None  # not due yet
        make_due(row)

    run_task(row.pk, worker_id="w")  # the third of max_attempts=3

    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 3) and row.finished_at is not None
    assert [round(w.total_seconds() / 60) for w in waits] == [1, 5]
    assert RETRY_AFTER[:3] == [datetime.timedelta(minutes=m) for m in (1, 5, 30)]
    assert "failed for good after 3 attempts" in caplog.text


def test_an_atomic_task_that_fails_queues_nothing():
    row = enqueue(t.fan_out_then_fail, values=[1, 2])

    run_task(row.pk, worker_id="w")

    assert list(Task.objects.values_list("name", "status")) == [(row.name, "pending")]  # to be retried


def test_a_claimed_task_is_left_to_its_worker_until_the_claim_runs_out():
    row = enqueue(t.remember, value="once")
    Task.objects.filter(pk=row.pk).update(claimed_until=an_hour_later(), claimed_by="other", attempts=1)

    assert run_pending_tasks() == 0 and t.calls == []

    # The other worker died: its claim ran out, and the task is due again.
    Task.objects.filter(pk=row.pk).update(claimed_until=timezone.now() - datetime.timedelta(seconds=1))
    assert run_pending_tasks() == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, t.calls) == ("done", 2, ["once"])


def test_a_task_whose_every_claim_ran_out_is_given_up_without_running_again():
    row = enqueue(t.fail, message="never reached")  # max_attempts=3
    Task.objects.filter(pk=row.pk).update(attempts=3, last_error="")

    run_task(row.pk, worker_id="w")

    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("failed", 4, "no attempt ever finished")


def test_an_atomic_task_whose_claim_was_taken_meanwhile_rolls_its_work_back(monkeypatch, caplog):
    row = enqueue(t.fan_out, values=[1])
    real_fan_out = t.fan_out

    def slow_fan_out(**kwargs):
        real_fan_out(**kwargs)
        # Meanwhile our claim ran out and another worker claimed the task (its attempt is the next one).
        # (Simulated in the task's own transaction, so it is rolled back too; what counts is that the
        # outcome is not recorded over a newer claim.)
        Task.objects.filter(pk=row.pk).update(attempts=2, claimed_by="other")

    slow_fan_out.task_options = real_fan_out.task_options  # type: ignore[attr-defined]
    monkeypatch.setattr(t, "fan_out", slow_fan_out)

    run_task(row.pk, worker_id="w")

    row.refresh_from_db()
    assert row.status == "pending" and "its work was rolled back" in caplog.text
    assert Task.objects.count() == 1  # the `remember` it queued was rolled back with it


def test_a_row_naming_a_function_that_is_not_a_task_is_failed_not_run():
    row = Task.objects.create(name="talkies.tasks.tests.tasks_for_tests.not_a_task", args={})
    Task.objects.create(name="talkies.nowhere.gone", args={})

    assert run_pending_tasks() == 2

    row.refresh_from_db()
    assert row.status == "failed" and "not a task" in row.last_error
    assert Task.objects.filter(status="failed").count() == 2


def test_run_immediately_runs_the_task_on_commit_through_the_same_claim(settings, django_capture_on_commit_callbacks):
    settings.TASKS_RUN_IMMEDIATELY = True
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        row = enqueue(t.remember, value="now")
    assert t.calls == [] and len(callbacks) == 1  # nothing before the commit

    callbacks[0]()

    row.refresh_from_db()
    assert (t.calls, row.status, row.attempts, row.claimed_by) == (["now"], "done", 1, "immediately")


def test_an_email_keeps_the_message_id_it_was_queued_with_on_every_attempt(settings, mailoutbox):
    from django.core.mail import EmailMultiAlternatives

    settings.SITE_URL = "https://talkies.example"
    message = EmailMultiAlternatives(subject="Hello", body="Plain", to=["reader@example.com"])
    message.attach_alternative("<p>Rich</p>", "text/html")
    row = enqueue_email(message)
    message_id = row.args["headers"]["Message-ID"]
    assert row.name == task_name(send_email) and message_id.endswith("@talkies.example>")

    settings.EMAIL_BACKEND = "talkies.comments.tests.test_notifications.BrokenBackend"
    run_task(row.pk, worker_id="w")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_due(row)
    run_task(row.pk, worker_id="w")

    [sent] = mailoutbox
    assert sent.message()["Message-ID"] == message_id
    assert (sent.subject, sent.body, sent.alternatives[0][0]) == ("Hello", "Plain", "<p>Rich</p>")
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("done", 2)


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_the_same_tasks_run_each_once():
    if connection.vendor == "sqlite":
        pytest.skip("the test database is in memory; test_processes.py races real workers on an SQLite file")
    rows = [enqueue(t.remember, value=n) for n in range(40)]
    start = threading.Barrier(4)

    def work(worker_id: str) -> None:
        start.wait()
        try:
            for row in rows:
                run_task(row.pk, worker_id=worker_id)
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert sorted(t.calls, key=str) == sorted(range(40), key=str)  # shared by the threads: none ran twice
    assert set(Task.objects.values_list("status", "attempts")) == {("done", 1)}
