"""Sessions that end, sign-in that cannot be hammered, and the second factor (issue 11, item 5).

Everything through the API's door: people sign in with /auth/token, as they would."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pyotp
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import Principal, issue_token
from domain.accounts import Account, CreateAccount, Role
from domain.application import Assured
from infra.settings import Settings
from tests.accounts import PASSWORD, account_for
from tests.refusals import at


@contextmanager
def replica(settings: Settings, app: Assured, peer: str = "203.0.113.7",
            **changes: Any) -> Iterator[TestClient]:
    """One API process on the shared database, its peer address `peer`."""
    mine = settings.model_copy(update=changes)
    with TestClient(create_app(mine, app), raise_server_exceptions=False,
                    client=(peer, 40000)) as client:
        yield client


def sign_in(client: TestClient, username: str, password: str = PASSWORD,
            code: str | None = None, **headers: str) -> Any:
    data = {"username": username, "password": password, **({"totp": code} if code else {})}
    return client.post("/auth/token", data=data, headers=headers)


def bearer(answer: Any) -> dict[str, str]:
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


# --- sessions that end -------------------------------------------------------------------------


def test_logout_revokes_the_token_on_every_replica(settings: Settings, app: Assured) -> None:
    account_for(app, Principal("pat", Role.PRACTITIONER))
    with replica(settings, app, session_check_seconds=0.3) as one, \
            replica(settings, app, session_check_seconds=0.3) as other:
        token = bearer(sign_in(one, "pat"))
        assert one.get("/cases", headers=token).status_code == 200
        assert other.get("/cases", headers=token).status_code == 200
        assert one.post("/auth/logout", headers=token).status_code == 204
        assert one.get("/cases", headers=token).status_code == 401  # here: at once
        deadline = time.monotonic() + 3
        while other.get("/cases", headers=token).status_code != 401:  # there: within seconds
            assert time.monotonic() < deadline, "the other replica still takes the token"
            time.sleep(0.1)
        assert one.get("/cases", headers=bearer(sign_in(one, "pat"))).status_code == 200


def test_a_disabled_accounts_tokens_stop_working(settings: Settings, app: Assured,
                                                 headers: Callable[..., dict[str, str]]) -> None:
    account_for(app, Principal("pat", Role.PRACTITIONER))
    with replica(settings, app) as client:
        token = bearer(sign_in(client, "pat"))
        assert client.get("/cases", headers=token).status_code == 200
        admin = headers(Role.PANEL_ADMIN)
        assert client.post("/accounts/pat/disable", json={"reason": "Left the service"},
                           headers=token).status_code == 403  # not theirs to do
        assert client.post("/accounts/pat/disable", json={"reason": "Left the service"},
                           headers=admin).status_code == 204
        assert client.get("/cases", headers=token).status_code == 401
        assert sign_in(client, "pat").status_code == 401
        assert app.load(Account.create_id("pat"), Account).disabled


def test_a_disabled_account_is_refused_within_seconds_whatever_disabled_it(
        settings: Settings, app: Assured) -> None:
    """Disabled by another door (the command line, another replica): the account check."""
    from domain.accounts import DisableAccount

    account_for(app, Principal("pat", Role.PRACTITIONER))
    with replica(settings, app, session_check_seconds=0.3) as client:
        token = bearer(sign_in(client, "pat"))
        assert client.get("/cases", headers=token).status_code == 200
        app.disable_account(DisableAccount(record_id=Account.create_id("pat"), reason="Left",
                                           by="cli", at=at(1)))
        deadline = time.monotonic() + 3
        while client.get("/cases", headers=token).status_code != 401:
            assert time.monotonic() < deadline, "a disabled account's token still works"
            time.sleep(0.1)


def test_a_correctly_signed_token_for_no_account_is_refused(settings: Settings,
                                                            app: Assured) -> None:
    with replica(settings, app) as client:
        ghost = issue_token(Principal("ghost", Role.PRACTITIONER), settings)
        assert client.get("/cases", headers={"Authorization": f"Bearer {ghost}"}
                          ).status_code == 401
        account_for(app, Principal("pat", Role.PRACTITIONER))
        promoted = issue_token(Principal("pat", Role.AUDITOR), settings, amr=("pwd", "otp"))
        assert client.get("/cases", headers={"Authorization": f"Bearer {promoted}"}
                          ).status_code == 401  # the account, not the token, has the role


# --- throttling --------------------------------------------------------------------------------


def test_thirty_names_from_one_address_are_throttled_even_with_forged_forwarding(
        settings: Settings, app: Assured) -> None:
    with replica(settings, app, peer="198.51.100.9") as client:
        codes = [sign_in(client, f"guess-{n}", "wrong",
                         **{"X-Forwarded-For": f"10.{n}.0.1"}).status_code for n in range(30)]
        assert codes == [401] * 20 + [429] * 10
    with replica(settings, app, peer="198.51.100.10") as elsewhere:  # another address
        assert sign_in(elsewhere, "guess-0", "wrong").status_code == 401


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(settings: Settings,
                                                                    app: Assured) -> None:
    account_for(app, Principal("pat", Role.PRACTITIONER))
    with replica(settings, app, peer="192.0.2.1", trusted_proxies=["192.0.2.0/24"]) as proxy:
        codes = [sign_in(proxy, f"guess-{n}", "wrong", **{"X-Forwarded-For": "198.51.100.66"}
                         ).status_code for n in range(21)]
        assert codes[-1] == 429
        # Someone else behind the same proxy is not throttled for the attacker's tries.
        assert sign_in(proxy, "pat", **{"X-Forwarded-For": "198.51.100.77"}).status_code == 200


def test_a_locked_names_owner_gets_back_in_after_the_window_or_when_unlocked(
        settings: Settings, app: Assured, headers: Callable[..., dict[str, str]]) -> None:
    account_for(app, Principal("pat", Role.PRACTITIONER))
    with replica(settings, app, sign_in_window_seconds=600) as client:
        for _ in range(5):
            assert sign_in(client, "pat", "wrong").status_code == 401
        assert sign_in(client, "pat").status_code == 429  # locked: the right password too
        assert client.post("/accounts/pat/unlock", headers=headers(Role.SUPPORT_MANAGER, "sm-1",
                                                                   "East")).status_code == 204
        assert sign_in(client, "pat").status_code == 200
        for _ in range(5):
            sign_in(client, "pat", "wrong")
        assert sign_in(client, "pat").status_code == 429
        assert client.post("/accounts/pat/unlock",
                           headers=headers(Role.PRACTITIONER, "pr-9")).status_code == 403
        _window_passes(app, 600)
        assert sign_in(client, "pat").status_code == 200


def _window_passes(app: Assured, seconds: int) -> None:
    """The failures recorded so far fall out of the window, as if `seconds` had passed (the
    window is long, so that a slow machine's five tries all fall within it)."""
    with app.recorder.datastore.transaction(commit=True) as curs:  # type: ignore[attr-defined]
        curs.execute("UPDATE api_sign_in_failure SET failed_at = failed_at - "
                     "make_interval(secs => %s)", (seconds + 1,))


# --- the second factor -------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PANEL_ADMIN, Role.AUDITOR, Role.OPS,
                                  Role.DATA_PROTECTION_OFFICER])
def test_a_privileged_role_signs_in_with_a_second_factor(role: Role, settings: Settings,
                                                         app: Assured) -> None:
    account = account_for(app, Principal("lee", role))
    code = pyotp.TOTP(account.second_factor)
    with replica(settings, app) as client:
        assert sign_in(client, "lee").status_code == 401  # the password alone
        assert sign_in(client, "lee", code="000000" if code.now() != "000000"
                       else "111111").status_code == 401
        used = code.now()  # once: a second `now()` may fall in the next 30 s and be new
        token = bearer(sign_in(client, "lee", code=used))
        assert sign_in(client, "lee", code=used).status_code == 401  # a code works once
        route = {Role.OPS: "/ops/workflows", Role.AUDITOR: "/cases",
                 Role.DATA_PROTECTION_OFFICER: "/retention/retention-x"}.get(role, "/safeguarders")
        # (a retention run of that id: none runs here, so the signed-in officer hears 404)
        assert client.get(route, headers=token).status_code in (200, 404, 503)
        without = issue_token(Principal("lee", role), settings)  # a token of the password alone
        assert client.get(route, headers={"Authorization": f"Bearer {without}"}
                          ).status_code == 401


def test_a_privileged_account_without_a_second_factor_enrols_one_over_the_api(
        settings: Settings, app: Assured) -> None:
    from tests.accounts import _HASH

    app.create_account(CreateAccount(username="kim", role=Role.AUDITOR, password_hash=_HASH,
                                     by="setup", at=at(0)))
    with replica(settings, app) as client:
        refused = sign_in(client, "kim")
        assert refused.status_code == 401 and "second factor" in refused.json()["detail"]
        offered = client.post("/auth/second-factor", data={"username": "kim",
                                                           "password": PASSWORD})
        assert offered.status_code == 200, offered.text
        body = offered.json()
        assert body["otpauth_uri"].startswith("otpauth://totp/Assured:kim?secret=")
        totp = pyotp.TOTP(body["secret"])
        bad = client.post("/auth/second-factor/confirm", data={
            "username": "kim", "password": PASSWORD, "ticket": body["ticket"] + "x",
            "totp": totp.now()})
        assert bad.status_code == 401
        assert app.load(Account.create_id("kim"), Account).second_factor is None
        confirmed = client.post("/auth/second-factor/confirm", data={
            "username": "kim", "password": PASSWORD, "ticket": body["ticket"],
            "totp": totp.now()})
        assert confirmed.status_code == 204, confirmed.text
        assert client.post("/auth/second-factor", data={"username": "kim", "password": PASSWORD}
                           ).status_code == 409  # enrolled once; an operator replaces it
        next_code = totp.at(time.time() + 30)  # the confirming code was used
        assert client.get("/cases", headers=bearer(sign_in(client, "kim", code=next_code))
                          ).status_code == 200


def test_assured_users_add_enrols_the_second_factor_of_a_privileged_role(
        database_url: str, cipher_key: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch,
        app: Assured) -> None:
    from typer.testing import CliRunner

    from api.cli.main import app as cli

    for key, value in {"ASSURED_DATABASE_URL": database_url, "ASSURED_ENCRYPTION_KEY": cipher_key,
                       "ASSURED_DATA_DIR": str(tmp_path)}.items():
        monkeypatch.setenv(key, value)
    made = CliRunner().invoke(cli, ["users", "add", "ops-lead", "--role", "ops"])
    assert made.exit_code == 0, made.output
    assert "otpauth://totp/Assured:ops-lead?secret=" in made.output
    secret = made.output.split("secret=")[1].split("&")[0]
    assert app.load(Account.create_id("ops-lead"), Account).second_factor == secret
    plain = CliRunner().invoke(cli, ["users", "add", "pat-" + uuid.uuid4().hex[:4], "--role",
                                     "practitioner"])
    assert plain.exit_code == 0 and "otpauth" not in plain.output
    unlocked = CliRunner().invoke(cli, ["users", "unlock", "ops-lead"])
    assert unlocked.exit_code == 0, unlocked.output
    disabled = CliRunner().invoke(cli, ["users", "disable", "ops-lead", "--reason", "Left"])
    assert disabled.exit_code == 0, disabled.output
    assert app.load(Account.create_id("ops-lead"), Account).disabled
