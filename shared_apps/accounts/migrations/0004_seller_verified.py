from django.db import migrations, models
from django.db.models.functions import Now


def sellers_with_mobile_verified(apps, schema_editor):
    # Until now a seller got a mobile number only by signing in with a code sent to it.
    Seller = apps.get_model("accounts", "Seller")
    Seller.objects.filter(mobile__isnull=False).exclude(mobile="").update(mobile_verified_at=Now())


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_api_token_key_prefix_12"),
    ]

    operations = [
        migrations.AddField(
            model_name="seller",
            name="email_verified_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="seller",
            name="mobile_verified_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(sellers_with_mobile_verified, migrations.RunPython.noop),
    ]
