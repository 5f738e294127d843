"""WSGI entry point for any WSGI server: `gunicorn wsgi:app` (prefer `toolbox serve`)."""

from toolbox import create_app

app = create_app()
