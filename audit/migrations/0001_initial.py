import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditChainHead',
            fields=[
                ('id', models.PositiveSmallIntegerField(default=1, editable=False, primary_key=True, serialize=False)),
                ('seq', models.PositiveBigIntegerField(default=0, verbose_name='last sequence number')),
                ('hash', models.CharField(default='0000000000000000000000000000000000000000000000000000000000000000', max_length=64, verbose_name='last hash')),
            ],
            options={
                'verbose_name': 'audit chain head',
                'verbose_name_plural': 'audit chain head',
                'default_permissions': (),
                'constraints': [models.CheckConstraint(condition=models.Q(('id', 1)), name='audit_chain_head_single_row')],
            },
        ),
        migrations.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seq', models.PositiveBigIntegerField(unique=True, verbose_name='sequence number')),
                ('at', models.DateTimeField(verbose_name='time')),
                ('actor_name', models.CharField(blank=True, max_length=150, verbose_name='username')),
                ('action', models.CharField(db_index=True, max_length=40, verbose_name='action')),
                ('target_type', models.CharField(blank=True, max_length=60, verbose_name='type of object')),
                ('target_id', models.CharField(blank=True, db_index=True, max_length=64, verbose_name='object identifier')),
                ('target_repr', models.CharField(blank=True, max_length=300, verbose_name='object')),
                ('case_ref', models.UUIDField(db_index=True, null=True, verbose_name='case file')),
                ('document_ref', models.UUIDField(db_index=True, null=True, verbose_name='document')),
                ('before', models.JSONField(null=True, verbose_name='before')),
                ('after', models.JSONField(null=True, verbose_name='after')),
                ('request_id', models.CharField(blank=True, max_length=64, verbose_name='request ID')),
                ('client_address', models.GenericIPAddressField(null=True, verbose_name='client address')),
                ('prev_hash', models.CharField(max_length=64, verbose_name='previous hash')),
                ('hash', models.CharField(max_length=64, verbose_name='hash')),
                ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'audit event',
                'verbose_name_plural': 'audit events',
                'ordering': ['seq'],
                'permissions': [('export_auditevent', 'Can export audit events')],
                'default_permissions': ('view',),
            },
        ),
    ]
