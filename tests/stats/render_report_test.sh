#!/usr/bin/env bash
# Renders a `tokgraft stats --out` report in headless Chromium and checks that
# every chart drew marks (the page's own script counts the drawn SVG marks of
# each chart into a data-marks attribute, which --dump-dom shows) and that
# nothing was written to the console (no script errors).
# Usage: render_report_test.sh TOKGRAFT SOURCE_DIR
set -u
tokgraft="$1"
src="$2"
chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "SKIPPED: $chromium not found (tools/install-deps.sh installs Debian's chromium)"
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Three categories from the demo text, two tokenizers of different kinds.
sed -n 1,2p "$src/data/demo.txt" > "$work/en.txt"
sed -n 3,4p "$src/data/demo.txt" > "$work/ru.txt"
printf 'def f(x):\n    return x ** 2  # 1234567\n' > "$work/python.txt"
if ! "$tokgraft" stats -t "$src/data/demo-tokenizer.json" -t "$src/tests/golden/features/metaspace_first_split.json" \
     --out "$work/report" "$work/en.txt" "$work/ru.txt" "$work/python.txt" 2> "$work/stats.err"; then
  echo "FAIL tokgraft stats: $(cat "$work/stats.err")"
  exit 1
fi

timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$work/profile" \
  --enable-logging=stderr --v=0 --dump-dom "file://$work/report/index.html" > "$work/dom.html" 2> "$work/chrome.err"
code=$?
failed=0
if [ "$code" -ne 0 ]; then
  echo "FAIL chromium exited with $code: $(tail -c 500 "$work/chrome.err")"
  exit 1
fi
expected=$(grep -o '<svg class="chart"' "$work/report/index.html" | wc -l)
# Two tokenizers: bytes/token, fertility, two histograms, shared tokens.
if [ "$expected" -ne 5 ]; then echo "FAIL expected 5 charts in index.html, found $expected"; failed=1; fi
if ! grep -q "data-charts=\"$expected\"" "$work/dom.html"; then
  echo "FAIL the page's script did not run to the end (no data-charts=\"$expected\")"; failed=1
fi
charts=$(grep -o '<svg class="chart" id="[^"]*"[^>]*>' "$work/dom.html")
while read -r chart; do
  [ -z "$chart" ] && continue
  id=$(sed 's/.* id="\([^"]*\)".*/\1/' <<< "$chart")
  marks=$(grep -o 'data-marks="[0-9]*"' <<< "$chart" | grep -o '[0-9]*')
  if [ -z "$marks" ] || [ "$marks" -eq 0 ]; then echo "FAIL chart $id drew no marks"; failed=1; fi
done <<< "$charts"
if grep -q 'CONSOLE' "$work/chrome.err"; then
  echo "FAIL console output: $(grep 'CONSOLE' "$work/chrome.err" | head -5)"; failed=1
fi
[ "$failed" -eq 0 ] && echo "$expected charts rendered with marks, console silent"
exit "$failed"
