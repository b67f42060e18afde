"""Traces through OpenTelemetry, off unless `ASSURED_OTLP_ENDPOINT` is set.

When on, a process (`assured api`, `assured worker`, `assured up`) has one tracer provider,
exporting over OTLP/HTTP in batches:

- HTTP requests: a span per request (`opentelemetry-instrumentation-fastapi`), named by its
  route template (`POST /cases`), with `/healthz`, `/readyz` and `/metrics` left out;
- Temporal: `temporalio.contrib.opentelemetry.TracingInterceptor` on the client
  (`infra.temporal.connect`), which the worker built from that client uses too: starting a
  workflow, an update, the workflow's run and each activity, joined into one trace.

Ids only. Every span passes through `IdsOnly` before it is exported: it keeps the attributes
that name what was done (method, route template, status code, Temporal workflow, run, update and
activity ids and types, which Assured makes from record ids: README, "The processes") and
drops the rest: the URL with its query string, the client's address, the user agent, an
exception's message and stack trace, a status's description. No request or response body is
ever recorded by these instrumentations.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

# Imported here, not where used: a workflow's span ends inside Temporal's sandbox, where an
# import would load OpenTelemetry afresh and be refused.
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import Event, ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SimpleSpanProcessor,
    SpanExporter,
    SpanExportResult,
)
from opentelemetry.trace import Status

if TYPE_CHECKING:
    from fastapi import FastAPI
    from temporalio.client import Interceptor

    from infra.settings import Settings

KEPT = frozenset({
    "http.method", "http.request.method", "http.route", "http.status_code",
    "http.response.status_code", "http.scheme", "url.scheme", "http.flavor",
    "network.protocol.version", "server.port", "net.host.port", "exception.type",
    "error.type",
})
"""Attributes that carry no personal data; besides these, Temporal's own (`temporal…`)."""
UNTRACED = "healthz,readyz,metrics"

_provider: TracerProvider | None = None


def start(settings: Settings, service: str, exporter: SpanExporter | None = None
          ) -> TracerProvider | None:
    """This process's tracing, when `ASSURED_OTLP_ENDPOINT` is set (or a test gives its own
    exporter, which is then written to at once); None, setting nothing up, otherwise."""
    global _provider
    if settings.otlp_endpoint is None and exporter is None:
        return None
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    if exporter is not None:
        provider.add_span_processor(SimpleSpanProcessor(IdsOnly(exporter)))
    else:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(
            IdsOnly(OTLPSpanExporter(endpoint=settings.otlp_endpoint))))
    _provider = provider
    return provider


def stop() -> None:
    """Export what is left and forget the provider."""
    global _provider
    if _provider is not None:
        _provider.shutdown()
        _provider = None


def temporal_interceptors() -> list[Interceptor]:
    """The client's (and so its workers') interceptors: tracing when it is on, none when off."""
    if _provider is None:
        return []
    from temporalio.contrib.opentelemetry import TracingInterceptor  # (outside any workflow)

    return [TracingInterceptor(_provider.get_tracer("assured.temporal"))]


def instrument(app: FastAPI) -> None:
    """Trace the web application's requests when tracing is on."""
    if _provider is None:
        return
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(app, tracer_provider=_provider, excluded_urls=UNTRACED,
                                       exclude_spans=["receive", "send"])


def _kept(attributes: Any) -> dict[str, Any]:
    return {k: v for k, v in (attributes or {}).items()
            if k in KEPT or k.startswith("temporal")}


def ids_only(span: ReadableSpan) -> ReadableSpan:
    """The span with only the attributes in `KEPT` (and Temporal's), on it and its events,
    and its status without a description."""
    return ReadableSpan(
        name=span.name, context=span.context, parent=span.parent, resource=span.resource,
        attributes=_kept(span.attributes),
        events=[Event(e.name, _kept(e.attributes), e.timestamp) for e in span.events],
        links=span.links, kind=span.kind, status=Status(span.status.status_code),
        start_time=span.start_time, end_time=span.end_time,
        instrumentation_scope=span.instrumentation_scope)


class IdsOnly(SpanExporter):
    """A span exporter that passes each span through `ids_only` to the one it wraps."""

    def __init__(self, inner: SpanExporter) -> None:
        self.inner = inner

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return self.inner.export([ids_only(s) for s in spans])

    def shutdown(self) -> None:
        self.inner.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self.inner.force_flush(timeout_millis)
