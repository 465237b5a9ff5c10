"""gunicorn settings for production: docker-compose and the README start the site with
`gunicorn -c gunicorn.conf.py`. Override a value with GUNICORN_CMD_ARGS, e.g.
GUNICORN_CMD_ARGS="--workers 5".

Threaded workers (gthread): a slow client holds one thread, not a whole worker, so two slow
uploads cannot starve the sign-in page, and the worker timeout (a heartbeat of the worker
process) does not kill a long upload. Put a buffering proxy in front in production (nginx
buffers request bodies by default: `client_max_body_size 52m;`), so gunicorn only sees
complete requests.
"""

wsgi_app = "picsweb.wsgi:application"
bind = "0.0.0.0:8000"
worker_class = "gthread"
workers = 3
threads = 8
timeout = 60
graceful_timeout = 30
keepalive = 5
accesslog = "-"
# The path without its query string: searches (?q=) carry learners' names.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
