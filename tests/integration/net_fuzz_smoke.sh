#!/bin/bash
# net_fuzz_smoke: when `make fuzz` has built the libFuzzer targets, run each
# for a few seconds from the kept inputs (a crash fails the test); otherwise skip.
source "$top_srcdir/tests/lib.sh"
for t in chc azure dns; do
	bin="$builddir/tests/fuzz/fuzz_$t"
	if [ ! -x "$bin" ]; then
		skip "fuzz_$t runs clean (not built: run make fuzz)"
		continue
	fi
	corpus="$TMPDIR/corpus-$t"
	mkdir -p "$corpus"
	cp "$top_srcdir/tests/fuzz/regress/$t/"* "$corpus/"
	if "$bin" -max_total_time=5 -artifact_prefix="$TMPDIR/$t-" "$corpus" >"$TMPDIR/$t.log" 2>&1; then
		ok "fuzz_$t runs 5 s clean from the kept inputs"
	else
		not_ok "fuzz_$t runs 5 s clean from the kept inputs"
		tail -20 "$TMPDIR/$t.log" | sed 's/^/# /'
	fi
done
done_testing
