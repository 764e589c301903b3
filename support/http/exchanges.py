"""Redaction of HTTP exchanges and their attachment to the running Allure step.

Nothing that authenticates (tokens, passwords, refresh tokens, signing keys, cookies) may
reach a report: headers, JSON keys, JWT-looking strings and PEM blocks are all masked.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Mapping
from typing import Any

import httpx

MASK = "«redacted»"
STARTED = "acceptance.started"  # request extension: time.monotonic() when the request was sent
MAX_BODY_CHARS = 20_000
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"})
SECRET_KEY = re.compile(r"password|token|secret|key|credential|private", re.IGNORECASE)
JWT = re.compile(r"eyJ[A-Za-z0-9_-]*\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*")
PEM = re.compile(r"-----BEGIN [A-Z0-9 ]+-----.*?(?:-----END [A-Z0-9 ]+-----|\Z)", re.DOTALL)
# Query parameters named like secrets (e.g. ?access_token=...).
SECRET_QUERY = re.compile(
    r"([?&][^=&#]*(?:password|token|secret|key|credential|private)[^=&#]*=)[^&#]*", re.IGNORECASE)
# Non-secret keys that only look like secret ones (kept readable for debugging).
HARMLESS_KEYS = frozenset({"token_type", "idempotency_key_reused"})


def redact_text(text: str) -> str:
    """Mask JWT-looking strings, PEM blocks and secret-looking query parameters in free text."""
    text = PEM.sub(MASK, text)
    text = JWT.sub(MASK, text)
    return SECRET_QUERY.sub(lambda m: m.group(1) + MASK, text)


def redact_json(value: Any) -> Any:
    """Recursively mask values under secret-looking keys and secrets inside strings."""
    if isinstance(value, Mapping):
        return {k: (MASK if _is_secret_key(str(k)) and v is not None else redact_json(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [redact_json(item) for item in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


def redact_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    result = []
    for name, value in headers:
        if name.lower() in SECRET_HEADERS:
            scheme = value.split(" ", 1)[0] if name.lower().endswith("authorization") and " " in value else ""
            result.append((name, f"{scheme} {MASK}".strip()))
        else:
            result.append((name, redact_text(value)))
    return result


def redact_body(content: bytes, content_type: str | None) -> str:
    """A readable, redacted, size-limited rendering of a body."""
    if not content:
        return "(empty)"
    text = content.decode("utf-8", errors="replace")
    if content_type and "json" in content_type and "ndjson" not in content_type:
        try:
            text = json.dumps(redact_json(json.loads(text)), indent=2, ensure_ascii=False)
        except ValueError:
            text = redact_text(text)
    elif content_type and "ndjson" in content_type:
        text = "\n".join(_redact_json_line(line) for line in text.splitlines())
    else:
        text = redact_text(text)
    if len(text) > MAX_BODY_CHARS:
        text = text[:MAX_BODY_CHARS] + f"\n… truncated ({len(text) - MAX_BODY_CHARS} more characters)"
    return text


def title(response: httpx.Response) -> str:
    request = response.request
    return f"{request.method} {request.url.path} → {response.status_code}"


def render(response: httpx.Response, *, service: str | None = None) -> str:
    """The whole exchange as redacted text, for an attachment or a log."""
    request = response.request
    lines = [
        f"{request.method} {redact_text(str(request.url))}" + (f"  [{service}]" if service else ""),
        f"Status: {response.status_code} {response.reason_phrase}",
        f"Elapsed: {_elapsed_ms(response)}",
        "",
        "Request headers:",
        *_header_lines(request.headers.multi_items()),
        "",
        "Request body:",
        redact_body(_request_content(request), request.headers.get("content-type")),
        "",
        "Response headers:",
        *_header_lines(response.headers.multi_items()),
        "",
        "Response body:",
        redact_body(_response_content(response), response.headers.get("content-type")),
    ]
    return "\n".join(lines)


def attach(response: httpx.Response, *, service: str | None = None) -> None:
    """Attach the redacted exchange to the current Allure step; a no-op outside an Allure test."""
    import allure
    from allure_commons import plugin_manager

    if not plugin_manager.get_plugins() or not allure_test_running():
        return
    allure.attach(render(response, service=service), name=title(response),
                  attachment_type=allure.attachment_type.TEXT)


def allure_test_running() -> bool:
    """True when some registered Allure reporter has a test, step or fixture open to attach to."""
    from allure_commons import plugin_manager

    for plugin in plugin_manager.get_plugins():
        reporter = getattr(plugin, "logger", None) or getattr(plugin, "allure_logger", None)
        last_executable = getattr(reporter, "_last_executable", None)
        if last_executable is None:
            continue
        try:
            if last_executable() is not None:
                return True
        except (KeyError, IndexError, AttributeError, StopIteration):
            continue
    return False


def _is_secret_key(key: str) -> bool:
    return key.lower() not in HARMLESS_KEYS and bool(SECRET_KEY.search(key))


def _redact_json_line(line: str) -> str:
    try:
        return json.dumps(redact_json(json.loads(line)), ensure_ascii=False)
    except ValueError:
        return redact_text(line)


def _header_lines(headers: Iterable[tuple[str, str]]) -> list[str]:
    return [f"  {name}: {value}" for name, value in redact_headers(headers)] or ["  (none)"]


def _request_content(request: httpx.Request) -> bytes:
    try:
        return request.content
    except httpx.RequestNotRead:
        return b"(streamed body not shown)"


def _response_content(response: httpx.Response) -> bytes:
    try:
        return response.content
    except httpx.ResponseNotRead:
        return b"(streamed body not shown)"


def _elapsed_ms(response: httpx.Response) -> str:
    try:
        return f"{response.elapsed.total_seconds() * 1000:.0f} ms"
    except RuntimeError:
        started = response.request.extensions.get(STARTED)
        return f"{(time.monotonic() - started) * 1000:.0f} ms" if started else "n/a"
