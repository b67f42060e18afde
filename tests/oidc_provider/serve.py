"""Start the suite's provider: `python -m tests.oidc_provider.serve PORT DATABASE`.

Creates its tables, one signing key, the Assured client (id `assured-api`, secret
`assured-secret`) and the people of `PEOPLE` (password `provider password`), then serves on
127.0.0.1:PORT until stopped. Prints "ready" once it answers."""

from __future__ import annotations

import os
import sys

CLIENT_ID, CLIENT_SECRET = "assured-api", "assured-secret"
PASSWORD = "provider password"
PEOPLE = {  # username: groups
    "alex@example.test": ["panel_admin", "mfa"],
    "nomfa@example.test": ["panel_admin"],
    "sam@example.test": ["support_manager", "region:East"],
    "pat@example.test": ["practitioner", "panel_admin", "mfa"],
    "pat-only@example.test": ["practitioner"],
}


def prepare() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from oidc_provider.models import Client, RSAKey

    call_command("migrate", verbosity=0)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    RSAKey.objects.create(key=key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode())
    client = Client.objects.create(name="Assured", client_id=CLIENT_ID,
                                   client_secret=CLIENT_SECRET, client_type="confidential",
                                   jwt_alg="RS256", _redirect_uris="http://127.0.0.1/callback",
                                   _scope="openid profile email")
    client.save()
    for username, groups in PEOPLE.items():
        user = User.objects.create_user(username=username, email=username, password=PASSWORD)
        for name in groups:
            user.groups.add(Group.objects.get_or_create(name=name)[0])


def main(port: int, database: str) -> None:
    os.environ["PROVIDER_DATABASE"] = database
    os.environ["PROVIDER_URL"] = f"http://127.0.0.1:{port}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_provider.settings")
    import django
    from django.core.servers.basehttp import WSGIServer, get_internal_wsgi_application, run

    django.setup()
    prepare()
    print("ready", flush=True)
    run("127.0.0.1", port, get_internal_wsgi_application(), threading=True,
        server_cls=WSGIServer)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
