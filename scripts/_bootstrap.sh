# Sourced by scripts/run and scripts/test: make .venv/ match pyproject.toml and
# constraints.txt (installing only when either changed), compile translations.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

pick_python() {
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(not ((3, 11) <= sys.version_info[:2] < (3, 14)))'; then
      echo "$candidate"; return 0
    fi
  done
  echo "Python 3.11 to 3.13 is required." >&2
  return 1
}

if [ ! -x .venv/bin/python ]; then
  echo "==> Creating .venv/"
  "$(pick_python)" -m venv .venv
fi
PY="$ROOT/.venv/bin/python"

STAMP=.venv/.portal-installed
WANT="$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
  echo "==> Installing the portal and its dependencies into .venv/"
  "$PY" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$PY" -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
  echo "$WANT" > "$STAMP"
fi

# Compiled catalogues are build output (git-ignored); rebuild when stale.
if command -v msgfmt >/dev/null 2>&1; then
  for po in locale/*/LC_MESSAGES/*.po */locale/*/LC_MESSAGES/*.po; do
    [ -e "$po" ] || continue
    mo="${po%.po}.mo"
    if [ ! -f "$mo" ] || [ "$po" -nt "$mo" ]; then
      msgfmt --check-format -o "$mo" "$po"
    fi
  done
else
  "$PY" -m portal.i18n_compile .
fi
