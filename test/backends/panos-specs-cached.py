# Runs the shared panos_codegen_check.py as it is (argv: SCRIPT SPECDIR FILE.xml), with each spec
# file's YAML parsed once for all runs: pure-Python YAML parsing of the specs is nearly all of a
# run's time (about 10 s of CPU), and the suite runs the check several times. yaml.safe_load's
# result is kept, pickled, under a folder only this user can write, keyed by the SHA-256 of the
# file's text (an edited spec is parsed again) and by the PyYAML and Python versions. Runs take
# turns (a lock on the folder): the runs that start together while the cache is empty wait for
# the first one's parse instead of each parsing the specs again.

import fcntl
import hashlib
import os
import pickle
import runpy
import stat
import sys
import tempfile

import yaml

script = sys.argv[1]
folder = os.path.join(tempfile.gettempdir(), f'plumb-panos-specs-{os.getuid()}')
os.makedirs(folder, mode=0o700, exist_ok=True)
st = os.lstat(folder)
# Never read a pickle another user could have written.
private = stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and (st.st_mode & 0o077) == 0
version = f'{yaml.__version__}-py{sys.version_info[0]}.{sys.version_info[1]}'
cache_file = os.path.join(folder, f'parsed-{version}.pickle')

cache = {}
if private:
    # Held until this process ends, after the cache is written.
    lock = open(os.path.join(folder, 'lock'), 'a')
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        with open(cache_file, 'rb') as f:
            cache = pickle.load(f)
    except Exception:
        cache = {}
added = False
parse = yaml.safe_load


def safe_load(stream):
    global added
    text = stream.read() if hasattr(stream, 'read') else stream
    key = hashlib.sha256(text.encode('utf-8') if isinstance(text, str) else text).hexdigest()
    if key not in cache:
        cache[key] = pickle.dumps(parse(text))
        added = True
    # A fresh copy for every caller, as parsing gives.
    return pickle.loads(cache[key])


yaml.safe_load = safe_load
sys.argv = [script] + sys.argv[2:]
try:
    runpy.run_path(script, run_name='__main__')
finally:
    if added and private:
        fd, partial = tempfile.mkstemp(dir=folder)
        with os.fdopen(fd, 'wb') as f:
            pickle.dump(cache, f)
        os.replace(partial, cache_file)
