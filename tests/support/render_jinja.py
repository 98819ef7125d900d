"""Renders a Jinja2 template the way the OSMO worker does: a sandboxed environment
with strict undefined variables. Template on stdin, variables as a JSON object in
argv[1]; the result on stdout. A render error exits 1 with the message on stderr."""
import json
import sys

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

try:
    env = SandboxedEnvironment(undefined=StrictUndefined)
    sys.stdout.write(env.from_string(sys.stdin.read()).render(**json.loads(sys.argv[1])))
except Exception as error:  # noqa: BLE001 - any render failure is the answer
    sys.stderr.write(f"{type(error).__name__}: {error}\n")
    sys.exit(1)
