from django.apps import AppConfig


class SijillConfig(AppConfig):
    """The configuration package is also an app, to carry the commands that run the whole site."""

    name = "sijill"
    verbose_name = "Sijill"
