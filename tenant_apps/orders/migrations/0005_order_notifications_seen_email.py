"""Order notifications (the outbox), the buyer's e-mail on an order, and the console's "seen".

Orders placed before this release count as seen when it was applied: otherwise every old
order of every store would read "New" at once. Nothing is sent for them.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0004_order_totals_payment_cart_discount"),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
            name="email",
            field=models.EmailField(blank=True, max_length=254),
        ),
        migrations.AddField(
            model_name="order",
            name="seen_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.CreateModel(
            name="OrderNotification",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "event",
                    models.CharField(
                        choices=[
                            ("placed", "Order placed"),
                            ("shipped", "Order shipped"),
                            ("delivered", "Order delivered"),
                            ("cancelled", "Order cancelled"),
                            ("new_order", "New order (to the team)"),
                        ],
                        max_length=12,
                    ),
                ),
                (
                    "channel",
                    models.CharField(choices=[("sms", "SMS"), ("email", "E-mail")], max_length=8),
                ),
                (
                    "audience",
                    models.CharField(
                        choices=[("buyer", "Buyer"), ("member", "Store member")], max_length=8
                    ),
                ),
                ("recipient", models.CharField(max_length=254)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Pending"),
                            ("sending", "Sending"),
                            ("sent", "Sent"),
                            ("failed", "Failed"),
                        ],
                        default="pending",
                        max_length=10,
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("next_attempt_at", models.DateTimeField()),
                ("claimed_at", models.DateTimeField(blank=True, null=True)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("last_error", models.TextField(blank=True)),
                (
                    "order",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to="orders.order",
                    ),
                ),
            ],
            options={
                "ordering": ["created_at", "id"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("status", "pending")),
                        fields=["next_attempt_at"],
                        name="orders_notification_due",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("order", "event", "channel", "recipient"),
                        name="orders_notification_once",
                    )
                ],
            },
        ),
        migrations.RunSQL(
            "UPDATE orders_order SET seen_at = NOW() WHERE seen_at IS NULL",
            migrations.RunSQL.noop,
        ),
    ]
