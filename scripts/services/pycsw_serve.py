"""Serves pycsw 2.6.2's WSGI application (pycsw/wsgi.py) on 127.0.0.1 only.

pycsw's own `wsgi.py PORT` binds every interface; this is the same application and the same wsgiref server,
bound to the loopback address. Usage: PYCSW_CONFIG=cfg python pycsw_serve.py PORT
"""
import sys
from wsgiref.simple_server import make_server

from pycsw.wsgi import application

if __name__ == "__main__":
    port = int(sys.argv[1])
    httpd = make_server("127.0.0.1", port, application)
    print("Serving on 127.0.0.1:{}".format(port), flush=True)
    httpd.serve_forever()
