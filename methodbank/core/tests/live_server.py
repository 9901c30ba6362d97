"""A live test server that is safe on the in-memory SQLite test database.

Django's live server answers each request in its own thread, and with an in-memory SQLite database
it hands every thread the same connection (the database exists only inside it). Two requests at
once then share one connection's transaction state: a savepoint one opens, the other releases, and
a browser test fails at random ("no such savepoint", "can't execute queries until the end of the
'atomic' block"). A real server never shares a connection, so on SQLite the test server answers
one request at a time instead; on PostgreSQL every thread has its own connection and nothing
changes. Used by the ``live_server`` fixture (conftest.py) and the browser tests' shared server.
"""

import threading


def _one_request_at_a_time(handler_class):
    class OneRequestAtATime(handler_class):
        # One lock for every server: the shared connection is the database's, not the server's.
        lock = threading.Lock()

        def __call__(self, environ, start_response):
            with self.lock:
                response = super().__call__(environ, start_response)
                # The body is read and the response closed (request_finished sent) inside the lock:
                # a streaming body may still query the database.
                try:
                    return [b"".join(response)]
                finally:
                    close = getattr(response, "close", None)
                    if close is not None:
                        close()

    return OneRequestAtATime


def live_server_for_tests(addr="localhost"):
    """pytest-django's LiveServer, serialised when it shares an in-memory SQLite connection."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(addr, start=False)
    if server.thread.connections_override:
        server.thread.static_handler = _one_request_at_a_time(server.thread.static_handler)
    server.start()
    return server
