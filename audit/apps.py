from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects change auditing)
