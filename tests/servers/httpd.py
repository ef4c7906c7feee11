#!/usr/bin/python3
"""A real HTTP server on 127.0.0.1 for the end-to-end tests.

Serves files from a directory with ETag/Last-Modified (answering 304 to a
matching conditional GET) and logs each request to a file, one line each:

    GET /path STATUS [if-none-match=VALUE] [if-modified-since=VALUE]
        [user-agent=VALUE]

so a test can count what the client asked for and check what it sent.
Binds port 0 and writes the port it got to PORTFILE, so tests never race for
a port.

Besides the files, some paths misbehave on purpose, for the collector's
tests (every one is bounded in time, so no thread outlives a test by long):

    /slow            a feed dripped one byte per second
    /endless         200 and a body that never ends (a line every 0.1 s)
    /gzip-bomb       a 100 KB gzip body that inflates to 100 MB of spaces
    /redirect-loop   302 to itself
    /moved[?to=/x]   301 to /feed.xml (or to the path or URL given); code=
                     sets another status (302, 307, 308), so a chain is
                     /moved?to=/moved%3Fto%3D/feed.xml%26code%3D302
    /as?file=/x&type=T  the file /x served with Content-Type T
    /gone            410 Gone
    /busy            503 with Retry-After: 120
    /throttled       429 with Retry-After as an HTTP date an hour away
    /empty           200 with an empty body
    /huge[?mb=N]     a valid feed of N MB (default 3) with its length;
                     /huge-chunked the same without one
    /held?id=N       a one-item feed after 400 ms (N only tells feeds apart); logs
                     "HELD inflight=K", K the /held answers under way
                     from this one's start, so a test sees how many
                     connections the client opened to one host at once
    /encoded?file=/x&enc=E  the file /x compressed with E (gzip,
                     deflate or br) when the request's Accept-Encoding
                     names E, and 406 when it does not

usage: httpd.py DIR PORTFILE LOGFILE
"""
import email.utils
import functools
import gzip
import http.server
import os
import sys
import time
import struct
import threading
import urllib.parse
import zlib

try:
    import brotli   # Debian's python3-brotli
except ImportError:
    brotli = None

LIMIT = 60   # seconds any misbehaving answer may last


def feed_items(n, pad=0):
    """An RSS feed with n items, each padded with pad bytes of text."""
    head = ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0">'
            '<channel><title>Big</title><link>https://big.example.org/</link>\n')
    body = "".join(
        '<item><guid>big-%d</guid><title>Big %d</title>'
        '<description>%s</description></item>\n' % (i, i, "x" * pad)
        for i in range(n))
    return (head + body + "</channel></rss>\n").encode()


def gzip_bomb(size=100 << 20):
    # Deflate restarts at each full flush, so every 1 MB run of spaces
    # compresses to the same bytes: compress one, repeat it, and write the
    # gzip frame around it.  Quick to build even on a loaded machine (the
    # feed's fetch timeout is short).
    head = b'<?xml version="1.0"?><rss version="2.0"><channel>'
    chunk = b" " * (1 << 20)
    z = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = z.compress(head) + z.flush(zlib.Z_FULL_FLUSH)
    block = z.compress(chunk) + z.flush(zlib.Z_FULL_FLUSH)
    n = size >> 20
    crc = zlib.crc32(head)
    for _ in range(n):
        crc = zlib.crc32(chunk, crc)
    total = len(head) + n * len(chunk)
    return (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" + first +
            block * n + z.flush() +
            struct.pack("<II", crc & 0xffffffff, total & 0xffffffff))


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_request(self, code="-", size="-"):
        line = "%s %s %s" % (self.command, self.path, getattr(code, "value", code))
        for h in ("If-None-Match", "If-Modified-Since", "User-Agent"):
            if self.headers.get(h) is not None:
                line += " %s=%s" % (h.lower(), self.headers[h])
        with open(self.server.logfile, "a") as log:
            log.write(line + "\n")

    def log_message(self, fmt, *args):
        pass

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

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        special = SPECIAL.get(url.path)
        if special is None:
            return super().do_GET()
        try:
            special(self, query)
        except (BrokenPipeError, ConnectionResetError):
            pass   # the client gave up: that is what these paths test

    def plain(self, code, headers=(), body=b""):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        super(http.server.SimpleHTTPRequestHandler, self).end_headers()
        self.wfile.write(body)

    def slow(self, query):
        body = feed_items(1)
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        super(http.server.SimpleHTTPRequestHandler, self).end_headers()
        for i in range(min(len(body), LIMIT)):
            self.wfile.write(body[i:i + 1])
            self.wfile.flush()
            time.sleep(1)

    def endless(self, query):
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        super(http.server.SimpleHTTPRequestHandler, self).end_headers()
        self.close_connection = True
        self.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel>\n')
        end = time.time() + LIMIT
        while time.time() < end:
            self.wfile.write(b"<!-- more to come -->\n")
            self.wfile.flush()
            time.sleep(0.1)

    def bomb(self, query):
        if self.server.bomb is None:
            self.server.bomb = gzip_bomb()
        self.plain(200, [("Content-Type", "application/rss+xml"),
                         ("Content-Encoding", "gzip")], self.server.bomb)

    def loop(self, query):
        self.plain(302, [("Location", "/redirect-loop")])

    def moved(self, query):
        code = int(query.get("code", "301"))
        self.plain(code, [("Location", query.get("to", "/feed.xml"))])

    def typed(self, query):
        path = self.translate_path(query.get("file", "/"))
        try:
            with open(path, "rb") as f:
                body = f.read()
        except OSError:
            return self.plain(404)
        self.plain(200, [("Content-Type", query.get("type", "text/xml"))],
                   body)

    def gone(self, query):
        self.plain(410, body=b"gone for good\n")

    def busy(self, query):
        self.plain(503, [("Retry-After", "120")], b"busy\n")

    def throttled(self, query):
        when = email.utils.formatdate(time.time() + 3600, usegmt=True)
        self.plain(429, [("Retry-After", when)], b"slow down\n")

    def empty(self, query):
        self.plain(200, [("Content-Type", "application/rss+xml")])

    def huge(self, query, chunked=False):
        mb = int(query.get("mb", "3"))
        body = feed_items(mb * 1024, 1000)
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        if chunked:
            self.close_connection = True
        else:
            self.send_header("Content-Length", str(len(body)))
        super(http.server.SimpleHTTPRequestHandler, self).end_headers()
        self.wfile.write(body)

    def huge_chunked(self, query):
        self.huge(query, chunked=True)

    held_lock = threading.Lock()
    held_now = 0

    def held(self, query):
        with Handler.held_lock:
            Handler.held_now += 1
            inflight = Handler.held_now
        with open(self.server.logfile, "a") as log:
            log.write("HELD inflight=%d\n" % inflight)
        # Counted down before the answer goes: once the client has it,
        # it may open the next connection while this thread still runs.
        time.sleep(0.4)
        with Handler.held_lock:
            Handler.held_now -= 1
        self.plain(200, [("Content-Type", "application/rss+xml")],
                   feed_items(1))

    def encoded(self, query):
        enc = query.get("enc", "gzip")
        accepted = [e.split(";")[0].strip() for e in
                    self.headers.get("Accept-Encoding", "").split(",")]
        if enc not in accepted:
            return self.plain(406)
        with open(self.translate_path(query.get("file", "/feed.xml")), "rb") as f:
            body = f.read()
        if enc == "gzip":
            body = gzip.compress(body)
        elif enc == "deflate":
            body = zlib.compress(body)
        elif enc == "br" and brotli is not None:
            body = brotli.compress(body)
        else:
            return self.plain(500)
        self.plain(200, [("Content-Type", "application/rss+xml"),
                         ("Content-Encoding", enc)], body)


SPECIAL = {
    "/slow": Handler.slow,
    "/endless": Handler.endless,
    "/gzip-bomb": Handler.bomb,
    "/redirect-loop": Handler.loop,
    "/moved": Handler.moved,
    "/as": Handler.typed,
    "/gone": Handler.gone,
    "/busy": Handler.busy,
    "/throttled": Handler.throttled,
    "/empty": Handler.empty,
    "/huge": Handler.huge,
    "/huge-chunked": Handler.huge_chunked,
    "/held": Handler.held,
    "/encoded": Handler.encoded,
}


def main():
    root, portfile, logfile = sys.argv[1:4]
    handler = functools.partial(Handler, directory=root)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.logfile = logfile
    server.bomb = None   # built on first use
    with open(portfile + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(portfile + ".tmp", portfile)
    server.serve_forever()


if __name__ == "__main__":
    main()
