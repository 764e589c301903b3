"""A stranger's key list and certificate, served on loopback where a careless verifier might fetch them.

A pass whose `jku` or `x5u` header points here is signed by the stranger (support.data.tokens). Contract §2
says a key is only ever found in identity's JWKS by `kid`, so such a pass must be refused, and no service
should ever come and fetch what the header names: the bait counts every fetch. Services that cannot reach
the suite's machine refuse the pass all the same, so the check stays conclusive either way.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from support.data.tokens import stranger_certificate_pem, stranger_jwk

JWKS_PATH = "/.well-known/jwks.json"
CERTIFICATE_PATH = "/certificate.pem"


class KeyBait:
    """The stranger's JWKS and certificate over HTTP on a free loopback port, until `close()`."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        documents = {JWKS_PATH: (json.dumps({"keys": [stranger_jwk()]}).encode("utf-8"), "application/json"),
                     CERTIFICATE_PATH: (stranger_certificate_pem().encode("ascii"), "application/x-pem-file")}
        fetches: list[str] = []
        self.fetches = fetches

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fetches.append(self.path)
                body, media_type = documents.get(self.path.split("?")[0], (b"", "text/plain"))
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", media_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer((host, 0), Handler)
        self._server.daemon_threads = True
        host_name, port = self._server.server_address[:2]
        self.base_url = f"http://{host_name}:{port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="key-bait", daemon=True)
        self._thread.start()

    @property
    def jwks_url(self) -> str:
        return self.base_url + JWKS_PATH

    @property
    def certificate_url(self) -> str:
        return self.base_url + CERTIFICATE_PATH

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
