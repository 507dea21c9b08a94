from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, str]:
    return {"council_name": settings.LOS_COUNCIL_NAME}
