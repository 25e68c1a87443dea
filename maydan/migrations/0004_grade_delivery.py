import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("maydan", "0003_sessions"),
    ]

    operations = [
        migrations.AddField(
            model_name="gradeoutbox",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="gradeoutbox",
            name="next_attempt_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="gradedestination",
            name="activity",
            field=models.CharField(default="fieldlog", max_length=200),
        ),
        migrations.AddIndex(
            model_name="gradeoutbox",
            index=models.Index(fields=["delivered_at", "next_attempt_at"], name="maydan_grad_deliver_133f49_idx"),
        ),
    ]
