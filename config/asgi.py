import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# A web server: see config/wsgi.py.
os.environ.setdefault("DJANGO_WEB_PROCESS", "1")

application = get_asgi_application()
