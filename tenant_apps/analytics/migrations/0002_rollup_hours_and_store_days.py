from django.db import migrations, models

# The counters as they are at this migration (frozen here, not imported from the model).
ROLLUP_COUNTERS = (
    "conversations_created",
    "conversations_assigned",
    "conversations_closed",
    "conversations_reopened",
    "agent_replies",
    "customer_replies",
    "first_response_seconds_sum",
    "first_response_count",
    "resolution_seconds_sum",
    "resolution_count",
    "reply_seconds_sum",
    "reply_count",
)
_COLUMNS = ", ".join(ROLLUP_COUNTERS)
_SUMS = ", ".join(f"SUM({column})" for column in ROLLUP_COUNTERS)

# Hour rows are sums of the quarter-hour rows already stored, so the existing data gets them by
# one INSERT … SELECT; reads only start using them once this migration has run.
BACKFILL_HOUR_ROWS = f"""
INSERT INTO analytics_rollup (period, bucket, agent_id, channel_id, {_COLUMNS})
SELECT 3, date_trunc('hour', bucket AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', agent_id, channel_id,
       {_SUMS}
FROM analytics_rollup
WHERE period = 1
GROUP BY 2, 3, 4
ON CONFLICT (agent_id, channel_id, period, bucket) DO NOTHING
"""


# The day rows stored so far are UTC days: record UTC as the rollup timezone of a store that has
# any, so they stay right; `analytics_rebuild` re-keys them to the store's timezone.
RECORD_UTC_DAYS = """
INSERT INTO analytics_rolluptimezone (id, name)
SELECT 1, 'UTC' WHERE EXISTS (SELECT 1 FROM analytics_rollup)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="rollup",
            name="period",
            field=models.PositiveSmallIntegerField(
                choices=[(1, "15 minutes"), (2, "day in the rollup timezone"), (3, "UTC hour")]
            ),
        ),
        migrations.CreateModel(
            name="RollupTimezone",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=64)),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("id", 1)), name="analytics_rollup_timezone_one"
                    )
                ],
            },
        ),
        migrations.RunSQL(
            BACKFILL_HOUR_ROWS, reverse_sql="DELETE FROM analytics_rollup WHERE period = 3"
        ),
        migrations.RunSQL(RECORD_UTC_DAYS, reverse_sql=migrations.RunSQL.noop),
    ]
