"""The ``baocao`` command: one verb per command, each a few lines calling the core or a service."""
