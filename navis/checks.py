from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.security, deploy=True)
def shared_cache_check(app_configs, **kwargs) -> list[Warning]:
    """Login rate limits and used two-factor codes are counted in the cache: every process must share it."""
    if settings.CACHES["default"]["BACKEND"] in PER_PROCESS_CACHES:
        return [
            Warning(
                "The default cache is per process, so allauth's rate limits and two-factor replay checks "
                "count in each process apart.",
                hint="Set CACHE_URL to the shared Redis, e.g. redis://redis:6379/1.",
                id="navis.W001",
            )
        ]
    return []
