"""`Cache-Control: no-store` on every answer: answers carry people's files, cases and reviews,
and no browser, proxy or shared cache may keep a copy. (Every answer, not a list of routes that
hold personal data: a new route cannot be forgotten.)"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

NO_STORE = (b"cache-control", b"no-store")


class NoStore:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sent(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0] != b"cache-control"]
                message["headers"] = [*headers, NO_STORE]
            await send(message)

        await self.app(scope, receive, sent)
