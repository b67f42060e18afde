"""The organisation's claim mapping: a person's groups are their roles (`region:<name>` is their
region), and a member of the group `mfa` signs in with a second factor, so the provider says so
in `amr` (RFC 8176)."""

from typing import Any


def assured_claims(id_token: dict[str, Any], user: Any, **_: Any) -> dict[str, Any]:
    groups = [g.name for g in user.groups.all()]
    id_token["roles"] = [g for g in groups if ":" not in g and g != "mfa"]
    regions = [g.split(":", 1)[1] for g in groups if g.startswith("region:")]
    if regions:
        id_token["region"] = regions[0]
    id_token["amr"] = ["pwd", "otp"] if "mfa" in groups else ["pwd"]
    return id_token


def subject(user: Any) -> str:
    """The organisation's subject identifier: the person's sign-in name."""
    return str(user.username)
