"""`python -m services.identity [--host 127.0.0.1] [--port 8001]` (HOST / PORT env too)."""

from services.common.server import serve
from services.identity.app import create_app

if __name__ == "__main__":
    serve("identity", create_app)
