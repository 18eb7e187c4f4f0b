"""The table the answers to API writes sent with an Idempotency-Key are kept in (talkies.lib.idempotency).

Like the rate-limit counters (0003), it is read with SQL by a module of talkies.lib, which imports no app,
so only the database changes, not the migration state. The unique (scope, idem_key) constraint is what stops
two retries racing with one key from both writing; `created` is indexed for purging expired keys, and
(scope, created) for forgetting an actor's oldest keys past settings.IDEMPOTENCY_KEYS_PER_ACTOR.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_user_notify_moderation"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.CreateModel(
                    name="IdempotencyKey",
                    fields=[
                        ("id", models.BigAutoField(primary_key=True, serialize=False)),
                        # The site and actor the key belongs to ("site:1|user:12").
                        ("scope", models.CharField(max_length=200)),
                        ("idem_key", models.CharField(max_length=255)),
                        # SHA-256 of the method, path and body the key was first sent with.
                        ("fingerprint", models.CharField(max_length=64)),
                        # 0 while the writing transaction holds the claim; never committed as 0.
                        ("status", models.PositiveSmallIntegerField()),
                        ("content_type", models.CharField(max_length=100)),
                        ("body", models.TextField()),
                        # Seconds since the epoch.
                        ("created", models.FloatField(db_index=True)),
                    ],
                    options={
                        "db_table": "talkies_idempotency_keys",
                        "constraints": [
                            models.UniqueConstraint(fields=("scope", "idem_key"), name="idempotency_key_per_scope")
                        ],
                        "indexes": [models.Index(fields=("scope", "created"), name="idempotency_scope_age")],
                    },
                ),
            ],
            state_operations=[],
        ),
    ]
