#!/bin/sh
# gazette.cgi - what the web server runs for /gazette/...: gazette in its
# CGI mode.  The configuration comes from GAZETTE_CONF (set by the server).
exec /usr/local/bin/gazette cgi
