"""`python -m services.anomaly [--host H] [--port 8003]`."""

from services.anomaly.app import create_app
from services.common.server import serve

if __name__ == "__main__":
    serve("anomaly", create_app)
