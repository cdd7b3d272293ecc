"""A tiny app packed with the prebuilt CPython: `make python-app APP=examples/pyapp`."""
import json
import pathlib
import sys

here = pathlib.Path(__file__).parent
data = json.loads((here / "data.json").read_text())
print(f"hello from {__file__} on Python {sys.version.split()[0]}")
print("the app's files:", sorted(p.name for p in here.iterdir()))
print("sum of the data:", sum(data["numbers"]))
