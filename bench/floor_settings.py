"""Benchmark-only settings: the project's own, with bench/floor_urls.py as the URL configuration.

bench/load.py starts gunicorn with DJANGO_SETTINGS_MODULE=bench.floor_settings so that one
server answers both our API and the floor it is compared with. Production never loads this.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor_urls"
