"""Give every comment posted before moderation existed its queue entry, as already moderated: a site's
history should not land in the "unmoderated" queue the day moderation is installed."""

from django.db import migrations

BATCH = 2000


def add_entries(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    QueueEntry = apps.get_model("moderation", "QueueEntry")
    comments = (
        Comment.objects.filter(queue_entry__isnull=True)
        .values_list("pk", "thread__site_id", "status", "created_at", "author_id")
        .order_by("pk")
    )
    batch = []
    for pk, site_id, status, created_at, author_id in comments.iterator(chunk_size=BATCH):
        batch.append(
            QueueEntry(
                comment_id=pk,
                site_id=site_id,
                status=status,
                created_at=created_at,
                author_id=author_id,
                is_moderated=True,
            )
        )
        if len(batch) >= BATCH:
            QueueEntry.objects.bulk_create(batch)
            batch = []
    QueueEntry.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial"), ("comments", "0004_comment_moderation_notice_and_shadowed")]

    operations = [migrations.RunPython(add_entries, migrations.RunPython.noop)]
