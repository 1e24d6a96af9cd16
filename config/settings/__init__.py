"""Django settings. Every value comes from the environment; .env.example lists each variable.

Development: `make run` sets DJANGO_DEBUG=1. Production: DJANGO_DEBUG unset (off), and then
DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS are required and `manage.py check --deploy` is clean.

One module per concern, read in this order (a later one may use what an earlier one set):
base (the project, debug, hosts, apps, middleware, time), database, clinic (booking rules and
the clinic's identity), api (REST framework, tokens, OpenAPI), accounts (lockout, account links,
the second factor), security (HTTPS, CORS, CSP, Silk), integrations (cache, e-mail, background
tasks, logging).
"""

from config.settings.accounts import *  # noqa: F403
from config.settings.api import *  # noqa: F403
from config.settings.base import *  # noqa: F403
from config.settings.clinic import *  # noqa: F403
from config.settings.database import *  # noqa: F403
from config.settings.integrations import *  # noqa: F403
from config.settings.security import *  # noqa: F403
