"""/healthz: the state of the database and the broker, for load balancers and operators.

Open to anyone (no sign-in), so it says only "ok", "down" or "not configured"; why a
service is down goes to the log, not to the caller.
"""

import logging

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK = "ok"
DOWN = "down"
NOT_CONFIGURED = "not configured"


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure at all means the database cannot serve requests
        logger.warning("Health check: the database is down", exc_info=True)
        return DOWN
    return OK


def broker_state() -> str:
    """Redis, the Celery broker. Without REDIS_URL tasks run in-process, which is healthy."""
    if not settings.REDIS_URL:
        return NOT_CONFIGURED
    client = None
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2
        )
        client.ping()
    except Exception:  # a malformed URL is as much "down" as a refused connection
        logger.warning("Health check: the broker is down", exc_info=True)
        return DOWN
    finally:
        if client is not None:
            client.close()
    return OK


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": database_state(), "broker": broker_state()}
    healthy = DOWN not in checks.values()
    return JsonResponse(
        {"status": OK if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )
