"""The ASGI application (production settings unless told otherwise); checked as
``komar.wsgi`` is, before it serves anything."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "komar.settings.production")
application = get_asgi_application()

from komar.core.checks import refuse_to_serve_on_errors  # noqa: E402  (needs Django set up)

refuse_to_serve_on_errors()
