"""A real OpenID Connect provider for the suite: `django-oidc-provider` (a maintained provider
package from PyPI) configured as an organisation would configure its own, served by Django on
the loopback. `serve.py` starts it; `hooks.py` is the organisation's claim mapping."""
