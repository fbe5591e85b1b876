"""A client's discount codes become store discount codes (orders.DiscountCode) limited to that
client's mobile and e-mail and to one use; the row here keeps only which client got which.

Existing codes keep their spelling and whether they were active, as 10 % off (the value the
conversations tool never had: the seller changes it on the console's Discounts page). A code
that clashes, ignoring capitals, with one already moved gets a "-<id>" suffix.
"""

from decimal import Decimal

import django.db.models.deletion
from django.db import migrations, models


def codes_to_store_codes(apps, schema_editor):
    ClientCode = apps.get_model("conversations", "DiscountCode")
    StoreCode = apps.get_model("orders", "DiscountCode")
    for link in ClientCode.objects.select_related("client").order_by("pk"):
        code = link.code
        if StoreCode.objects.filter(code__iexact=code).exists():
            code = f"{code[:30]}-{link.pk}"
        store_code = StoreCode.objects.create(
            code=code,
            kind="percent",
            value=Decimal("10.00"),
            max_uses=1,
            max_uses_per_customer=1,
            is_active=link.is_active,
            only_for_mobile=link.client.mobile,
            only_for_email=link.client.email.lower(),
        )
        StoreCode.objects.filter(pk=store_code.pk).update(created_at=link.created_at)
        link.discount = store_code
        link.save(update_fields=["discount"])


def store_codes_to_codes(apps, schema_editor):
    ClientCode = apps.get_model("conversations", "DiscountCode")
    for link in ClientCode.objects.select_related("discount"):
        link.code, link.is_active = link.discount.code, link.discount.is_active
        link.save(update_fields=["code", "is_active"])


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0003_conversation_reopened_at"),
        ("orders", "0003_discount_codes"),
    ]

    operations = [
        migrations.AddField(
            model_name="discountcode",
            name="discount",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="conversation_client",
                to="orders.discountcode",
            ),
        ),
        migrations.RunPython(codes_to_store_codes, store_codes_to_codes),
        migrations.RemoveConstraint(
            model_name="discountcode", name="conversations_one_active_code_per_client"
        ),
        migrations.RemoveConstraint(
            model_name="discountcode", name="conversations_discount_code_unique"
        ),
        migrations.RemoveField(model_name="discountcode", name="code"),
        migrations.RemoveField(model_name="discountcode", name="is_active"),
        migrations.AlterField(
            model_name="discountcode",
            name="discount",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="conversation_client",
                to="orders.discountcode",
            ),
        ),
        migrations.AlterModelOptions(
            name="discountcode", options={"ordering": ["-created_at", "-id"]}
        ),
    ]
