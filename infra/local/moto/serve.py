"""Runs moto's server for the pg2ddb local stack.

moto_server logs one line per request through werkzeug; at thousands of requests a second that
costs the emulator's only core more than the request itself, so access logging is turned down to
warnings here. Everything else is moto's own server (`moto.server.main`).
"""
import logging
import sys

from moto.server import main

logging.getLogger("werkzeug").setLevel(logging.WARNING)
sys.exit(main(sys.argv[1:]))
