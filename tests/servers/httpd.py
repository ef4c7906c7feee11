#!/usr/bin/python3
"""A real HTTP server on 127.0.0.1 for the end-to-end tests.

Serves files from a directory with ETag/Last-Modified (answering 304 to a
matching conditional GET) and logs each request line to a file, so a test can
count what the client asked for.  Binds port 0 and writes the port it got to
PORTFILE, so tests never race for a port.

usage: httpd.py DIR PORTFILE LOGFILE
"""
import functools
import http.server
import os
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, fmt, *args):
        with open(self.server.logfile, "a") as log:
            log.write("%s %s\n" % (self.command, self.path))

    def end_headers(self):
        path = self.translate_path(self.path)
        if os.path.isfile(path):
            st = os.stat(path)
            self.send_header("ETag", '"%x-%x"' % (st.st_mtime_ns, st.st_size))
        super().end_headers()

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isfile(path):
            st = os.stat(path)
            etag = '"%x-%x"' % (st.st_mtime_ns, st.st_size)
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                super(http.server.SimpleHTTPRequestHandler, self).end_headers()
                return None
        return super().send_head()


def main():
    root, portfile, logfile = sys.argv[1:4]
    handler = functools.partial(Handler, directory=root)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.logfile = logfile
    with open(portfile + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(portfile + ".tmp", portfile)
    server.serve_forever()


if __name__ == "__main__":
    main()
