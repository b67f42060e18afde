"""What the PDF renderer may fetch: only the images the report itself embeds.

WeasyPrint's default fetcher opens any URL a document names: `file://` (any file the process
can read), `http(s)://` (any host the server can reach), `data:`. People's words are escaped
into the reports' HTML as text, so they cannot name a URL; this fetcher makes sure of it. It
serves the images given to it by their URL (today's reports draw their charts as inline SVG,
so none) and refuses everything else, keeping the refused URLs for the caller to see.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from weasyprint.urls import URLFetcher, URLFetcherResponse


class EmbeddedOnly(URLFetcher):  # type: ignore[misc]
    def __init__(self, images: Mapping[str, tuple[bytes, str]] | None = None) -> None:
        super().__init__(allowed_protocols=())
        self.images = dict(images or {})  # url -> (bytes, media type)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        found = self.images.get(url)
        if found is None:
            self.refused.append(url)
            raise ValueError("the report fetches nothing it does not embed")
        body, media_type = found
        return URLFetcherResponse(url, body, {"Content-Type": media_type})


def render_pdf(html: str, images: Mapping[str, tuple[bytes, str]] | None = None) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=EmbeddedOnly(images)).write_pdf()  # type: ignore[no-any-return]
