"""Django settings of the suite's provider. Its database and address come from the environment
that `tests/oidc_provider/serve.py` is started with."""

import os

SECRET_KEY = os.environ.get("PROVIDER_SECRET_KEY", "suite-provider-only")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "tests.oidc_provider.urls"
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes",
                  "django.contrib.sessions", "oidc_provider"]
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware",
              "django.contrib.auth.middleware.AuthenticationMiddleware"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3",
                         "NAME": os.environ["PROVIDER_DATABASE"]}}
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # a test provider: fast
SITE_URL = os.environ["PROVIDER_URL"]
LOGIN_URL = "/accounts/login/"
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}]
OIDC_GRANT_TYPE_PASSWORD_ENABLE = True  # the suite signs in without a browser
OIDC_IDTOKEN_EXPIRE = 10 * 60
OIDC_IDTOKEN_PROCESSING_HOOK = "tests.oidc_provider.hooks.assured_claims"
OIDC_IDTOKEN_SUB_GENERATOR = "tests.oidc_provider.hooks.subject"
LOGGING = {"version": 1, "disable_existing_loggers": True}
