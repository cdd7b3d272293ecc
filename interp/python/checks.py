"""checks.py — run by build/python.wasm twice: with the standard library embedded,
and with the same staged tree preopened from the host (tests/interp/python).
Everything printed must be equal.  It imports a wide set of modules, reads
the library's own files, checks that the embedded .pyc are valid (their
recorded mtime and size match the sources, so nothing is rewritten), and
uses the scratch /tmp."""
import hashlib, importlib, importlib.util, os, sys, tempfile

MODULES = """abc argparse ast asyncio base64 bisect calendar collections contextlib copy csv
dataclasses datetime decimal difflib email email.mime.text enum fnmatch fractions functools
gettext glob gzip hashlib heapq hmac html html.parser http.client inspect io ipaddress
itertools json logging operator os pathlib pickle pprint queue random re secrets shlex
shutil statistics string struct tarfile tempfile textwrap threading tokenize traceback
typing unittest urllib.parse uuid warnings weakref xml.etree.ElementTree zipfile zlib
zoneinfo""".split()

ok = bad = 0
for name in MODULES:
    try:
        importlib.import_module(name)
        ok += 1
    except ImportError as e:
        bad += 1
        print("cannot import", name, "-", e)
print(f"imported {ok} of {len(MODULES)} modules")

lib = os.path.dirname(os.__file__)
print("stdlib at", lib)
for rel in ("os.py", "json/__init__.py", "email/message.py", "encodings/utf_8.py"):
    with open(os.path.join(lib, rel), "rb") as f:
        print(rel, hashlib.sha256(f.read()).hexdigest()[:16])

def pyc_valid(module):
    src, cached = module.__file__, module.__cached__
    with open(cached, "rb") as f:
        header = f.read(16)
    st = os.stat(src)
    return (int.from_bytes(header[8:12], "little") == int(st.st_mtime) & 0xFFFFFFFF and
            int.from_bytes(header[12:16], "little") == st.st_size & 0xFFFFFFFF)
import json, email.message, decimal, pathlib, zipfile
print("pyc valid:", all(pyc_valid(m) for m in (json, email.message, decimal, pathlib, zipfile)))
print("entries in lib:", len(os.listdir(lib)) > 100, "encodings:", len(os.listdir(os.path.join(lib, "encodings"))))

with tempfile.TemporaryDirectory() as d:
    p = os.path.join(d, "note.txt")
    with open(p, "w") as f:
        f.write("scratch " * 1000)
    os.rename(p, p + ".moved")
    print("tempdir works:", os.path.getsize(p + ".moved"), sorted(os.listdir(d)))
print("done")
