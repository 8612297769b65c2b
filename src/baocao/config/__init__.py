"""Django project configuration: settings from the environment, root URLs, WSGI."""
