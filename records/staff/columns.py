from wagtail.admin.ui.tables import Column


def calendar_date(name, label, **kwargs):
    """A date as the registry writes it (2024-05-14); 'three years ago' is no way to cite a filing."""

    def value(instance):
        day = getattr(instance, name)
        return day.strftime("%Y-%m-%d") if day else "—"

    return Column(name, label=label, accessor=value, sort_key=kwargs.pop("sort_key", name), **kwargs)


