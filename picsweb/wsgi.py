import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "picsweb.settings")
application = get_wsgi_application()

from picsweb.db import use_web_statement_timeout  # noqa: E402 (needs the settings loaded)
from picsweb.serving import ready_to_serve  # noqa: E402

use_web_statement_timeout()
ready_to_serve()
