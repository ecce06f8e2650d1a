import socket

from django.conf import settings

from navis.management.commands.rundev import FILESYSTEM_BROKER_URL, development_broker_url


def a_closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_uses_redis_when_it_answers():
    assert development_broker_url(settings.REDIS_URL) == settings.REDIS_URL


def test_falls_back_to_the_filesystem_broker_when_no_redis_answers():
    assert development_broker_url(f"redis://127.0.0.1:{a_closed_port()}/0") == FILESYSTEM_BROKER_URL


def test_a_broker_set_in_the_environment_wins():
    assert development_broker_url(settings.REDIS_URL, "amqp://guest@127.0.0.1//") == "amqp://guest@127.0.0.1//"
