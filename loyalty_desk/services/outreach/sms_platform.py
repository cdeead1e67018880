"""The optional HTTP adapter to the bank's SMS platform: where it is (``sms-platform.ini`` in the data
folder), and one message handed to it.

    [sms_platform]
    url = https://sms.bank.example/api/v1/messages
    timeout_seconds = 10
    ; the token: the environment variable LOYALTY_DESK_SMS_TOKEN, else this line
    token = ...

Each message is one ``POST`` of JSON (``message_id``, ``mobile``, ``language``, ``text``) with
``Authorization: Bearer <token>`` and ``Idempotency-Key: <message_id>``, over one kept-alive connection
for a batch: the platform keeps one message per id, so a message sent again after a timeout is not
sent twice. A 2xx answer is the platform's
acceptance; any other 4xx is its refusal (the reason is the answer's ``reason`` or ``error``, else the
HTTP status); a 408, 425, 429, 5xx, timeout or connection failure leaves the message to a later send.
"""

from __future__ import annotations

import configparser
import http.client
import json
import os
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from loyalty_desk.domain.errors import ValidationError

SETTINGS_FILE = "sms-platform.ini"
SECTION = "sms_platform"
TOKEN_ENV = "LOYALTY_DESK_SMS_TOKEN"
DEFAULT_TIMEOUT_SECONDS = 10.0
TIMEOUT_RANGE = (0.1, 120.0)
REASON_MAX = 200
RETRY_LATER = frozenset({408, 425, 429})


@dataclass(frozen=True)
class SmsPlatformSettings:
    url: str
    token: str
    timeout_seconds: float


def load_settings(path: Path, environ: Mapping[str, str] | None = None) -> SmsPlatformSettings | None:
    """The platform's settings, or None when ``path`` does not exist (sending is then not offered).
    A file that says something wrong is refused naming the setting."""
    if not path.is_file():
        return None
    parser = configparser.ConfigParser(interpolation=None)  # tokens and URLs may hold '%'
    try:
        parser.read(path, encoding="utf-8-sig")
    except (configparser.Error, UnicodeDecodeError) as error:
        raise ValidationError("outreach.sms_settings_unreadable", field="url", file=str(path), reason=str(error).splitlines()[0]) from None
    url = parser.get(SECTION, "url", fallback="").strip()
    if not url.lower().startswith(("http://", "https://")):
        raise ValidationError("outreach.sms_url", field="url", file=str(path), value=url)
    env = os.environ if environ is None else environ
    token = (env.get(TOKEN_ENV) or parser.get(SECTION, "token", fallback="") or "").strip()
    if not token:
        raise ValidationError("outreach.sms_token", field="token", file=str(path), variable=TOKEN_ENV)
    raw = parser.get(SECTION, "timeout_seconds", fallback=str(DEFAULT_TIMEOUT_SECONDS)).strip()
    try:
        timeout = float(raw)
    except ValueError:
        timeout = -1.0
    if not TIMEOUT_RANGE[0] <= timeout <= TIMEOUT_RANGE[1]:
        raise ValidationError("outreach.sms_timeout", field="timeout_seconds", file=str(path), value=raw, low=f"{TIMEOUT_RANGE[0]:g}",
                              high=f"{TIMEOUT_RANGE[1]:g}")
    return SmsPlatformSettings(url, token, timeout)


class Verdict(StrEnum):
    ACCEPTED = "accepted"
    REFUSED = "refused"
    NOT_SENT = "not_sent"  # timeout, connection failure, the platform busy: sent again by a later send


@dataclass(frozen=True)
class Answer:
    verdict: Verdict
    reason: str = ""


def _reason(body: bytes, status: int) -> str:
    try:
        said = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        said = None
    if isinstance(said, dict):
        for key in ("reason", "error", "message"):
            if said.get(key):
                return str(said[key])[:REASON_MAX]
    return f"HTTP {status}"


class PlatformConnection:
    """Messages to the platform over one kept-alive HTTP(S) connection (``http.client``, which
    ``urllib`` is built on): one TLS handshake for a batch rather than one a message. A connection
    the platform closed while idle is opened again and the message tried once more (safe: the
    platform keeps one message per idempotency key).

        with PlatformConnection(settings) as platform:
            answer = platform.send(message_id=..., mobile=..., language=..., text=...)
    """

    def __init__(self, settings: SmsPlatformSettings) -> None:
        self._settings = settings
        parts = urllib.parse.urlsplit(settings.url)
        self._https = parts.scheme.lower() == "https"
        self._host, self._port = parts.hostname or "", parts.port
        self._path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._connection: http.client.HTTPConnection | None = None

    def __enter__(self) -> PlatformConnection:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _open(self) -> http.client.HTTPConnection:
        if self._connection is None:
            kind = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            self._connection = kind(self._host, self._port, timeout=self._settings.timeout_seconds)
        return self._connection

    def send(self, *, message_id: str, mobile: str, language: str, text: str) -> Answer:
        """One message, with its id as the idempotency key."""
        body = json.dumps({"message_id": message_id, "mobile": mobile, "language": language, "text": text}, ensure_ascii=False).encode("utf-8")
        headers = {
            "Content-Type": "application/json; charset=utf-8", "Accept": "application/json",
            "Authorization": f"Bearer {self._settings.token}", "Idempotency-Key": message_id,
        }
        for attempt in (1, 2):
            reused = self._connection is not None
            try:
                connection = self._open()
                connection.request("POST", self._path, body=body, headers=headers)
                response = connection.getresponse()
                said = response.read()
            except TimeoutError:
                self.close()
                return Answer(Verdict.NOT_SENT, "timeout")
            except (OSError, http.client.HTTPException) as error:
                self.close()
                if reused and attempt == 1 and isinstance(error, (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)):
                    continue  # the platform closed the idle connection: once more on a new one
                return Answer(Verdict.NOT_SENT, (str(error) or type(error).__name__)[:REASON_MAX])
            if response.will_close:
                self.close()
            return _answer(response.status, said)
        return Answer(Verdict.NOT_SENT, "connection closed")


def _answer(status: int, said: bytes) -> Answer:
    if 200 <= status < 300:
        return Answer(Verdict.ACCEPTED)
    if 400 <= status < 500 and status not in RETRY_LATER:
        return Answer(Verdict.REFUSED, _reason(said, status))
    return Answer(Verdict.NOT_SENT, f"HTTP {status}")
