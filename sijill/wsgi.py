import os

from django.core.wsgi import get_wsgi_application

from sijill import scratch

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sijill.settings")
application = get_wsgi_application()

# What a killed process left of its uploads goes before this one takes any.
scratch.sweep_at_start_up()
