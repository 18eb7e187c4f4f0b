"""The table rate limits count in when REDIS_URL is unset (talkies.lib.dbcounters.DatabaseCounterCache).

It is created here rather than by `createcachetable` so that `talkies migrate`, and the test database, have
it with nothing else to run. No model of this app reads it (the cache backend uses SQL on the table its
LOCATION names, settings.CACHES["ratelimit"]), so only the database changes, not the migration state. It is
created whatever the cache settings, so a deployment that drops REDIS_URL later finds it there.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_add_guest_notification_and_thread_settings"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.CreateModel(
                    name="RateLimitCount",
                    fields=[
                        ("cache_key", models.CharField(max_length=255, primary_key=True, serialize=False)),
                        ("value", models.BigIntegerField()),
                        # Seconds since the epoch; NULL never expires. Indexed for purging expired rows.
                        ("expires", models.FloatField(null=True, db_index=True)),
                    ],
                    options={"db_table": "talkies_rate_limit_counts"},
                ),
            ],
            state_operations=[],
        ),
    ]
