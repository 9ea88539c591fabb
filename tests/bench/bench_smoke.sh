#!/bin/bash
# bench_smoke: `make bench` in its reduced mode (2 runs each, short waits, a smaller world) must
# produce a number in every row of its table. Figures are not judged here: timing belongs to the
# benchmark, not to tests. Skips until chlink-sim, the CLI commands and the demo are built.
source "$top_srcdir/tests/lib.sh"

chlink="$builddir/chlink"
need_skip=
for p in "$builddir/chlink-sim" "$chlink" "$builddir/tests/bench/floor" "$builddir/tests/bench/benchrun"; do
	[ -x "$p" ] || need_skip="$p is not built"
done
for tool in jq curl tmux; do
	command -v "$tool" >/dev/null || need_skip="$tool is not installed"
done
if [ -z "$need_skip" ]; then
	for c in apply status; do
		"$chlink" --help 2>&1 | grep -qE -- "^ +$c( |$)" || need_skip="chlink has no $c yet"
	done
fi
# The wizard is in when `chlink --demo` draws its DEMO badge in a terminal.
if [ -z "$need_skip" ] && ! TERM=xterm-256color "$builddir/tests/bench/benchrun" pty 100 30 1 30000 \
	DEMO -- "$chlink" --demo >/dev/null 2>&1; then
	need_skip="chlink --demo shows no wizard yet"
fi
if [ -n "$need_skip" ]; then
	echo "1..0 # SKIP $need_skip"
	exit 77
fi

rows="$TMPDIR/rows.tsv"
srcdir="$top_srcdir" builddir="$builddir" BENCH_QUICK=1 BENCH_TSV="$rows" bash "$top_srcdir/tests/bench/run.sh" >"$TMPDIR/bench.out" 2>&1
rc=$?
expect_eq "make bench (quick) exits 0: every measurement was taken" 0 "$rc"
[ "$rc" = 0 ] && [ -s "$rows" ] || diag "rows: $(wc -l <"$rows" 2>&1)" "$(tail -40 "$TMPDIR/bench.out")"

# Every item of issue 8 has its row.
for m in "startup: floor" "startup: chlink --version" "first frame: chlink --demo" \
	"flow: guide's curl + jq" "flow: chlink apply, empty world" "flow: chlink apply, ClickHouse part" \
	"speed vs guide, ClickHouse part" "speed vs guide, whole flow" \
	"API: requests, full flow" "API: requests per minute waiting" "API: 429 responses" \
	"terminal: bytes for Pending -> Approved" "peak RSS: floor" "peak RSS: wizard through the demo" \
	"peak RSS: chlink-sim" "scale: status, default world" "scale: status, "; do
	if cut -f1 "$rows" | grep -qF -- "$m"; then ok "row: $m"; else not_ok "row: $m"; fi
done
# ... and a number in it.
while IFS=$'\t' read -r metric value _ verdict; do
	if [[ $value =~ [0-9] ]] && [[ $verdict != NOT\ MEASURED* ]]; then
		ok "a number for: $metric"
	else
		not_ok "a number for: $metric"
		diag "value: $value" "verdict: $verdict"
	fi
done <"$rows"
check "the table names the machine" grep -q '^machine: [0-9]* CPUs' "$TMPDIR/bench.out"
done_testing
