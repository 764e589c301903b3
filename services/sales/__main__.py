"""`python -m services.sales [--host H] [--port 8002]`: run the sales service under uvicorn."""

from services.common.server import serve
from services.sales.app import create_app

if __name__ == "__main__":
    serve("sales", create_app, scalable=True)
