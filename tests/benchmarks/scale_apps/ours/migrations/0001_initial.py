"""One additive tenant migration for the benchmark: a new table with an index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = [("signups", "0002_refused_origins")]

    operations = [
        migrations.CreateModel(
            name="BenchNote",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("title", models.CharField(max_length=80)),
                ("body", models.TextField(blank=True, default="")),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
            ],
        ),
    ]
