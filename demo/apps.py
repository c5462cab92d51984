from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data commands (generate_demo_data, setup_demo); no models, nothing shown."""

    name = "demo"
