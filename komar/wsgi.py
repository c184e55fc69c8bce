"""The WSGI application that gunicorn serves (production settings unless told otherwise).

gunicorn runs no system checks, so this module runs them, deployment checks included,
and refuses to hand out an application when one fails: a misconfigured server does not
start rather than serve with a missing key.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "komar.settings.production")
application = get_wsgi_application()

from komar.core.checks import refuse_to_serve_on_errors  # noqa: E402  (needs Django set up)

refuse_to_serve_on_errors()
