# tests/screen/screenlib.sh: run the headless wizard with a key script and diff its dumps
# against tests/golden/screens/<COLSxROWS>/<script>-<dump>.txt. Source after tests/lib.sh.
# UPDATE_GOLDEN=1 writes the dumps as the new goldens instead (review them with git diff
# before committing):  UPDATE_GOLDEN=1 make check-one T=tests/screen/golden.sh
harness="$builddir/tests/ui_harness"
golden_root="$top_srcdir/tests/golden/screens"
keys_dir="$top_srcdir/tests/screen"

# run_keys NAME SIZE COLOR OUTDIR [harness args...]: exit status in $run_rc, stdout in OUTDIR/stdout.
run_keys() {
	local name=$1 size=$2 color=$3 out=$4; shift 4
	local cols=${size%x*} rows=${size#*x}
	rm -rf "$out"; mkdir -p "$out/dumps"
	if [ "$color" = nocolor ]; then
		env LINES="$rows" COLUMNS="$cols" NO_COLOR=1 "$harness" "$@" \
			--script "$keys_dir/$name.keys" --dump-dir "$out/dumps" \
			>"$out/stdout" 2>"$out/stderr"
	else
		env -u NO_COLOR LINES="$rows" COLUMNS="$cols" "$harness" "$@" \
			--script "$keys_dir/$name.keys" --dump-dir "$out/dumps" \
			>"$out/stdout" 2>"$out/stderr"
	fi
	run_rc=$?
	if [ "$run_rc" -ne 0 ]; then
		diag "harness exited $run_rc for $name at $size ($color):"
		sed 's/^/#   /' "$out/stderr" | head -20
		[ -f "$out/dumps/FAILED-wait-for.txt" ] && sed 's/^/#   | /' "$out/dumps/FAILED-wait-for.txt"
	fi
}

# compare_dumps NAME SIZE COLOR OUTDIR: one TAP line per golden screen of this script.
compare_dumps() {
	local name=$1 size=$2 color=$3 out=$4 g d base
	local dir="$golden_root/$size"
	if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
		mkdir -p "$dir"
		rm -f "$dir/$name"-*.txt
		for d in "$out"/dumps/*.txt; do
			base=$(basename "$d")
			[ "$base" = FAILED-wait-for.txt ] && continue
			cp "$d" "$dir/$name-$base"
		done
		ok "$name at $size ($color): goldens updated"
		return
	fi
	set -- "$dir/$name"-*.txt
	if [ ! -e "$1" ]; then
		not_ok "$name at $size ($color): no goldens in $dir (run with UPDATE_GOLDEN=1)"
		return
	fi
	for g in "$@"; do
		base=$(basename "$g"); base=${base#"$name"-}
		d="$out/dumps/$base"
		if [ ! -f "$d" ]; then
			not_ok "$name at $size ($color): screen $base was not dumped"
		elif diff -u "$g" "$d" >"$out/diff" 2>&1; then
			ok "$name at $size ($color): $base"
		else
			not_ok "$name at $size ($color): $base differs from the golden"
			sed 's/^/#   /' "$out/diff" | head -60
		fi
	done
	for d in "$out"/dumps/*.txt; do
		base=$(basename "$d")
		[ "$base" = FAILED-wait-for.txt ] && continue
		[ -f "$dir/$name-$base" ] || not_ok "$name at $size ($color): no golden for $base"
	done
}

# ja_text TEXT: TEXT as tests/screen/ja.map translates it (unchanged when not listed).
ja_text() {
	awk -v t="$1" -F'|' '!/^#/ && $1 == t { print $2; found = 1; exit }
		END { if (!found) print t }' "$top_srcdir/tests/screen/ja.map"
}

# ja_keys NAME OUTDIR: write OUTDIR/NAME.keys, the key script NAME with its "wait-for"
# texts translated by tests/screen/ja.map, so one script walks both languages.
ja_keys() {
	awk -F'|' 'NR == FNR { if (!/^#/ && NF == 2) map[$1] = $2; next }
		/^wait-for / { t = substr($0, 10); if (t in map) { print "wait-for " map[t]; next } }
		{ print }' "$top_srcdir/tests/screen/ja.map" "$keys_dir/$1.keys" >"$2/$1.keys"
}
