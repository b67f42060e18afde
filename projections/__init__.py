"""Read tables built from the notification log, in the same PostgreSQL as the events.

- `base.py`: `Projection`, the base of every read model (name, version, DDL, handlers).
- `page.py`: what handlers write, buffered per page and sent in bulk.
- `paging.py`: a page per transaction, rows and position committed together.
- `runner.py`: catch up, follow live, rebuild and swap, status; `cli.py`: the commands.
- `schema.py`: the registry, tracking tables, and the atomic swap of a rebuild.
- `decoding.py`: the fast decoder of stored events.
- `sealing.py`: free text, names and contact details encrypted in the read tables.
- One module and one `.sql` file per read model: `access_log`, `case_supervision`, `caseload`,
  `evidence_pack`, `review_register` (queries in `register_queries.py`), `safeguarder_file`,
  `scorecard` (measures in `measures.py`, quarters in `quarters.py`).
- `reports/`: the quarterly report (HTML, PDF, CSV); `report_cli.py`: `assured report`.
"""
