import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# A web server: requests get the statement timeout and the query watchdog (config/settings/
# database.py); management commands, migrations and the task worker do not.
os.environ.setdefault("DJANGO_WEB_PROCESS", "1")

application = get_wsgi_application()
