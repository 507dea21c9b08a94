from django.apps import AppConfig


class TimescalesConfig(AppConfig):
    name = "timescales"
