from decimal import Decimal

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0002_spareschema"),
    ]

    operations = [
        migrations.AddField(
            model_name="store",
            name="currency",
            field=models.CharField(default="INR", max_length=3),
        ),
        migrations.AddField(
            model_name="store",
            name="delivery_fee",
            field=models.DecimalField(decimal_places=2, default=Decimal("0.00"), max_digits=10),
        ),
        migrations.AddField(
            model_name="store",
            name="free_delivery_above",
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True),
        ),
        migrations.AddField(
            model_name="store",
            name="tax_rate",
            field=models.DecimalField(decimal_places=2, default=Decimal("0.00"), max_digits=5),
        ),
        migrations.AddField(
            model_name="store",
            name="tax_inclusive",
            field=models.BooleanField(default=True),
        ),
        migrations.AddField(
            model_name="store",
            name="cod_enabled",
            field=models.BooleanField(default=True),
        ),
        migrations.AddField(
            model_name="store",
            name="upi_id",
            field=models.CharField(blank=True, max_length=320, null=True),
        ),
    ]
