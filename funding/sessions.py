"""Sessions: Django's database sessions, with a key the site could never have issued read as no session.

Django's keys are 32 lower-case letters and digits (`get_random_string` over its VALID_KEY_CHARS); its
own check of a cookie's key is only its length, so a forged `sessionid` holding a NUL character went to
PostgreSQL, which refuses one in any text: every page answered 500 to that cookie.
"""

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key):
        return super()._validate_session_key(key) and set(key) <= set(VALID_KEY_CHARS)
