"""The PDF renderer fetches nothing a report does not embed: no file://, no network.

A loopback HTTP server counts every request it gets; the reports' words include image tags
and URLs pointing at it and at /etc/passwd."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from weasyprint import HTML

from projections.reports.fetching import EmbeddedOnly, render_pdf


@pytest.fixture
def beacon() -> Iterator[tuple[str, list[str]]]:
    hits: list[str] = []

    class Count(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Count)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", hits
    finally:
        server.shutdown()
        server.server_close()


def test_html_that_names_files_and_urls_fetches_nothing(beacon: tuple[str, list[str]]) -> None:
    url, hits = beacon
    html = (f'<img src="file:///etc/passwd"><img src="{url}/img.png">'
            f'<link rel="stylesheet" href="{url}/style.css">'
            f'<div style="background: url({url}/bg.png)">x</div>'
            f'<style>@import url("file:///etc/shadow");</style>')
    fetcher = EmbeddedOnly()
    HTML(string=html, url_fetcher=fetcher).write_pdf()
    assert hits == []
    assert "file:///etc/passwd" in fetcher.refused and f"{url}/img.png" in fetcher.refused
    # The control: the default fetcher would have asked the server.
    HTML(string=f'<img src="{url}/img.png">').write_pdf()
    assert hits == ["/img.png"]


def test_an_image_the_report_embeds_is_served(beacon: tuple[str, list[str]]) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>'
    fetcher = EmbeddedOnly({"assured:chart.svg": (svg, "image/svg+xml")})
    HTML(string='<img src="assured:chart.svg">', url_fetcher=fetcher).write_pdf()
    assert fetcher.refused == []
    assert render_pdf("<p>plain</p>").startswith(b"%PDF")
