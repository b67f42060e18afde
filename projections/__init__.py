"""Read tables built from the notification log, in the same PostgreSQL as the events.

- `base.py`: `Projection`, the base of every read model (name, version, DDL, handlers).
- `page.py`: what handlers write, buffered per page and sent in bulk.
- `paging.py`: a page per transaction, rows and position committed together.
- `runner.py`: catch up, follow live, rebuild and swap, status; `cli.py`: the commands.
- `schema.py`: the registry, tracking tables, and the atomic swap of a rebuild.
- `decoding.py`: the fast decoder of stored events.
- One module and one `.sql` file per read model: `case_supervision`, `safeguarder_file`.
"""
