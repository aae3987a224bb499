"""WSGI entry for bench/pages.py --server gunicorn: the real app plus /__bare serving a file's bytes."""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from elearn import create_app  # noqa: E402

app = create_app({"SQLALCHEMY_DATABASE_URI": os.environ["BENCH_DATABASE_URL"], "WTF_CSRF_ENABLED": False,
                  "RATELIMIT_ENABLED": False})
_BARE = Path(os.environ["BENCH_BARE_FILE"])
_body = {}


@app.get("/__bare")
def bare():
    if "bytes" not in _body:
        _body["bytes"] = _BARE.read_bytes()
    return _body["bytes"]
