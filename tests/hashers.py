"""A password hasher that does Django's real work and counts it, so a test can see who hashed."""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class CountingPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """Django's default hasher, unchanged, with a count of the passwords it hashed."""

    algorithm = "pbkdf2_sha256"
    hashed = 0

    def encode(self, password: str, salt: str, iterations: int | None = None) -> str:
        type(self).hashed += 1
        return super().encode(password, salt, iterations)
