"""A tiny app packed with the prebuilt CPython: `make python-app APP=examples/pyapp`.
Its package comes vendored (vendor/ on sys.path), its data from a file beside it."""
import importlib.util
import json
import pathlib
import pkgutil
import sys

here = pathlib.Path(__file__).parent
sys.path.insert(0, str(here / "vendor"))
# was the package's .pyc packed, and valid (CPython did not write it again)?
pyc = pathlib.Path(importlib.util.cache_from_source(str(here / "vendor/tally/__init__.py")))
before = pyc.stat().st_mtime_ns if pyc.exists() else None
import tally  # noqa: E402  (vendored)
ahead = before is not None and pyc.stat().st_mtime_ns == before

data = json.loads((here / "data.json").read_text())
print(f"hello from {__file__} on Python {sys.version.split()[0]}")
print("the app's files:", sorted(p.name for p in here.iterdir()))
print("its data:", sorted(p.name for p in here.glob("*.json")))
print("vendored:", [m.name for m in pkgutil.iter_modules([str(here / "vendor")])])
print("sum of the data:", tally.total(data["numbers"]))
print("tally compiled ahead:", ahead)
