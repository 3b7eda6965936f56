#!/usr/bin/env bash
# Measure Lighthouse scores (performance, accessibility, best practices, SEO) of the home page
# and a posting page of the sample board, in each theme, served from 127.0.0.1.
#
# Usage: scripts/lighthouse.sh [theme ...]          (default: default compact)
#   LIGHTHOUSE_PRESET=desktop scripts/lighthouse.sh  (default: Lighthouse's mobile emulation)
#   MIN_SCORE=95                                     (exit 1 if any score is lower)
#
# Needs Node.js and Debian's Chromium (CHROME_PATH, default /usr/bin/chromium). Uses `lighthouse`
# from PATH if installed, else runs the pinned version from the npm registry with npx.
set -euo pipefail
cd "$(dirname "$0")/.."

LIGHTHOUSE_VERSION=12.2.3
NOW=2026-11-22
POSTING=/jobs/senior-backend-engineer-elixir-remote/
MIN_SCORE=${MIN_SCORE:-95}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
themes=("$@")
[ ${#themes[@]} -gt 0 ] || themes=(default compact)

if command -v lighthouse >/dev/null; then
  lh=(lighthouse)
else
  lh=(npx --yes "lighthouse@${LIGHTHOUSE_VERSION}")
fi
preset=()
[ -z "${LIGHTHOUSE_PRESET:-}" ] || preset=("--preset=${LIGHTHOUSE_PRESET}")

tmp=$(mktemp -d)
server=""
cleanup() { [ -z "$server" ] || kill "$server" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
failed=0
printf '%-8s %-9s %5s %5s %5s %5s\n' theme page perf a11y bp seo
for theme in "${themes[@]}"; do
  python3 build.py --content content --out "$tmp/$theme" --now "$NOW" --theme "$theme" --quiet
  python3 -m http.server "$port" --bind 127.0.0.1 --directory "$tmp/$theme" >/dev/null 2>&1 &
  server=$!
  for _ in $(seq 50); do python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null && break; sleep 0.1; done
  for page in home posting; do
    path=/; [ "$page" = posting ] && path=$POSTING
    "${lh[@]}" "http://127.0.0.1:${port}${path}" --quiet "${preset[@]}" \
      --only-categories=performance,accessibility,best-practices,seo \
      --output=json --output-path="$tmp/$theme-$page.json" \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"
    python3 - "$tmp/$theme-$page.json" "$theme" "$page" "$MIN_SCORE" <<'EOF' || failed=1
import json, sys
report, theme, page, minimum = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
cats = json.load(open(report))["categories"]
scores = [round(cats[k]["score"] * 100) for k in ("performance", "accessibility", "best-practices", "seo")]
print(f"{theme:<8} {page:<9} " + " ".join(f"{s:5d}" for s in scores))
audits = json.load(open(report))["audits"]
for cat in cats.values():
    for ref in cat["auditRefs"]:
        audit = audits[ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            print(f"    {cat['id']}: {audit['title']} ({audit.get('displayValue') or audit['score']})")
sys.exit(0 if min(scores) >= minimum else 1)
EOF
  done
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
done
[ "$failed" = 0 ] || { echo "some score is below $MIN_SCORE" >&2; exit 1; }
