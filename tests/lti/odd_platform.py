"""A real HTTP server that answers as a test tells it to, for platforms that behave oddly (hostile, broken or just
unusual). `routes[path]` (the path with its query, else without) is a JSON body answered with 200, or
(status, headers, JSON body), or a callable of the requested path returning one of these."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class OddPlatform:
    def __init__(self):
        self.routes, self.asked = {}, []
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def answer(self):
                if self.command == "POST":
                    self.rfile.read(int(self.headers.get("Content-Length") or 0))
                platform.asked.append(self.path)
                route = platform.routes.get(self.path, platform.routes.get(self.path.split("?")[0], (404, {}, None)))
                route = route(self.path) if callable(route) else route
                status, headers, body = route if isinstance(route, tuple) else (200, {}, route)
                if isinstance(body, Slow):
                    time.sleep(body.seconds)
                    body = None
                data = json.dumps(body).encode()
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Slow:
    """A body the platform takes `seconds` to (not) send."""

    def __init__(self, seconds):
        self.seconds = seconds
