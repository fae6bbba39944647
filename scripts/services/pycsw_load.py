"""Runs pycsw-admin.py unchanged, with SQLite's per-commit fsync turned off.

pycsw 2.6.2's load_records commits once per record; on SQLite each commit waits for the disk (about 8 ms here,
82 s for 10,000 records). A throw-away test repository does not need durability, so every SQLite connection gets
`PRAGMA synchronous=OFF` and an in-memory journal. Same command line, same refusals, same log lines.

Usage: python pycsw_load.py /path/to/pycsw-admin.py -c load_records -f cfg -p DIR [-r]
"""
import runpy
import sys

from sqlalchemy import event
from sqlalchemy.engine import Engine


@event.listens_for(Engine, "connect")
def _no_fsync(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.execute("PRAGMA journal_mode=MEMORY")
    cursor.close()


if __name__ == "__main__":
    admin = sys.argv[1]
    sys.argv = [admin] + sys.argv[2:]
    runpy.run_path(admin, run_name="__main__")
