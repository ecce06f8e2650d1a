"""Sign-up for a known address against a new one: both must take the same time (goal: within 20%).

An answer that comes back faster for an address that has an account tells anyone that its owner uses
a cancer-guidance site. Measured in one process on the production settings, PostgreSQL and Redis,
with Django's real password hasher; mail goes to memory so that an SMTP server's own time does not
blur the figures (each path sends one email). Every attempt uses its own address and client address,
as a probe would, so allauth's rate limits do not change what is measured.
"""

import os

from bench.harness import fresh_site_output

ATTEMPTS = int(os.environ.get("BENCH_SIGNUP_ATTEMPTS", "9"))
GOAL_RATIO = 1.2

MEASURE = r"""
import statistics, sys, time

import django
django.setup()
from django.core import mail
from django.core.cache import cache
from django.test import Client

from tests.factories import UserFactory

attempts = int(sys.argv[1])
# allauth's rate limits count in the shared cache: a run a minute ago must not hold back this one's emails.
cache.clear()
for n in range(attempts + 1):
    UserFactory(email=f"known-{n}@example.com")
password = "a long enough passphrase"


def sign_up(email: str, address: str) -> float:
    client = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR=address)
    client.get("/accounts/signup/")
    start = time.perf_counter()
    response = client.post("/accounts/signup/", {"email": email, "password1": password, "password2": password})
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/", response
    return elapsed


# One of each first, unmeasured: imports, templates and connections warm up.
sign_up("known-0@example.com", "198.51.100.250")
sign_up("new-0@example.com", "198.51.100.251")
known, new = [], []
for n in range(1, attempts + 1):
    known.append(sign_up(f"known-{n}@example.com", f"198.51.100.{n}"))
    new.append(sign_up(f"new-{n}@example.com", f"203.0.113.{n}"))
assert len(mail.outbox) == 2 * (attempts + 1), "each sign-up sends exactly one email"
print(statistics.median(known), statistics.median(new), attempts)
"""


def main() -> None:
    output = fresh_site_output(MEASURE, str(ATTEMPTS), what="sign-up", EMAIL_URL="memorymail://")
    known, new, attempts = output.split()
    known_ms, new_ms = float(known), float(new)
    ratio = max(known_ms, new_ms) / min(known_ms, new_ms)
    print(f"sign-up, {attempts} attempts each, production settings, Django's password hasher")
    print(f"{'median, address with an account':<40} {known_ms:>8.1f} ms")
    print(f"{'median, new address':<40} {new_ms:>8.1f} ms")
    print(f"{'slower / faster':<40} {ratio:>8.2f}     (goal < {GOAL_RATIO})")
