"""Where reminder emails go: the settings' SMTP server in production, a folder on the embedded
default (`<data folder>/mail/*.eml`, one file a message, named by its Message-ID).

Both take a finished `email.message.EmailMessage`; the reminders' activity
(`workflows/reminders/activities.py`) decides what is sent and keeps it from being sent twice.
"""

from __future__ import annotations

import hashlib
import os
import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path

from infra.private import FILE, private_folder
from infra.settings import Settings, SmtpTls


class FolderOutbox:
    """Writes each message to a file named by its Message-ID (a resend overwrites it)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: EmailMessage) -> None:
        private_folder(self.folder)
        name = hashlib.sha256(str(message["Message-ID"]).encode()).hexdigest()[:32]
        target = self.folder / f"{name}.eml"
        partial = target.with_suffix(".part")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE)
        with os.fdopen(descriptor, "wb") as file:
            file.write(message.as_bytes())
        partial.replace(target)


class SmtpOutbox:
    """Sends through an SMTP server with the standard library's client, one connection a
    message (a day's reminders are few)."""

    def __init__(self, host: str, port: int, tls: SmtpTls, user: str | None = None,
                 password: str | None = None, timeout: float = 30.0) -> None:
        self.host, self.port, self.tls = host, port, tls
        self.user, self.password, self.timeout = user, password, timeout

    def send(self, message: EmailMessage) -> None:
        context = ssl.create_default_context()
        if self.tls == SmtpTls.TLS:
            server: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                                    context=context)
        else:
            server = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with server:
            if self.tls == SmtpTls.STARTTLS:
                server.starttls(context=context)
            if self.user:
                server.login(self.user, self.password or "")
            server.send_message(message)


def outbox(settings: Settings) -> FolderOutbox | SmtpOutbox:
    """The settings' SMTP server, or the mail folder when none is set."""
    if settings.smtp_host:
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        return SmtpOutbox(settings.smtp_host, settings.smtp_port, settings.smtp_tls,
                          settings.smtp_user, password)
    return FolderOutbox(settings.mail_dir or settings.data_dir / "mail")
