# The admin lists allauth's authenticators through this proxy, under a translated name.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [
        migrations.CreateModel(
            name="SecondFactor",
            fields=[],
            options={
                "verbose_name": "two-factor method",
                "verbose_name_plural": "two-factor methods",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("mfa.authenticator",),
        ),
    ]
