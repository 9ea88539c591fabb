#!/bin/bash
# Headless screen tests: walk the wizard (real ui/ on the fake engine) through
# every screen with key scripts, at 100x30 and 80x24, with and without NO_COLOR,
# and diff every screen dump against the golden files. The colour and NO_COLOR
# runs share one set of goldens: status is always in words, never colour alone.
source "$top_srcdir/tests/lib.sh"
source "$top_srcdir/tests/screen/screenlib.sh"

[ -x "$harness" ] || { echo "1..0 # SKIP no $harness"; exit 77; }

# name  world  expected stdout  extra harness args
scripts=(
	"demo|fresh|Demo finished|--demo"
	"recovery|half|Demo finished|--demo"
	"teardown|half|Demo finished|--demo"
	"portal|fresh|Demo finished|--demo"
	"manual|fresh|Demo finished|--demo"
	"pickers|fresh|Demo finished|--demo"
	"failure|fresh|Demo finished|--demo"
	"quit|fresh|chlink --profile lab|--profile lab"
	"colors|half|Demo finished|--demo"
	"creds-new|fresh|To continue|--vault new"
	"creds-unlock|fresh|To continue|--vault existing"
)

# walk_all LANG: every script at both sizes, colour and NO_COLOR, against the goldens
# of golden_root; LANG "ja" runs it in Japanese (test names and output dirs say "ja").
walk_all() {
	local lang=$1 tag=${1:+$1 } size color entry name world expect args out goodbye
	for size in 100x30 80x24; do
		for color in color nocolor; do
			for entry in "${scripts[@]}"; do
				IFS='|' read -r name world expect args <<<"$entry"
				out="$TMPDIR/${lang:+$lang-}$name-$size-$color"
				goodbye=$expect
				[ -n "$lang" ] && goodbye=$(ja_text "$expect")
				# shellcheck disable=SC2086
				LANGUAGE=$lang FAKE_FLOW_WORLD=$world \
					FAKE_FLOW_FAIL=$([ "$name" = failure ] && echo endpoint) \
					run_keys "$name" "$size" "$color" "$out" $args
				expect_eq "$tag$name at $size ($color): exit status" 0 "$run_rc"
				expect_match "$tag$name at $size ($color): goodbye" "$goodbye" \
					"$(cat "$out/stdout")"
				compare_dumps "$name" "$size" "$color" "$out"
			done
		done
	done
}

# pending_colour LANG WORDS CELLS: the status row's first WORDS (CELLS wide) carry the
# warning colour pair (letter e) in every cell; under NO_COLOR no cell has a colour pair.
pending_colour() {
	local lang=$1 tag=${1:+$1 } words=$2 cells=$3 d row pairs color
	for color in color nocolor; do
		d="$TMPDIR/${lang:+$lang-}colors-80x24-$color/dumps"
		row=$(grep -n "^$words" "$d/01-pending.txt" | cut -d: -f1)
		pairs=$(sed -n "${row:-0}p" "$d/01-pending.colors" 2>/dev/null | cut -c1-"$cells")
		if [ "$color" = color ]; then
			expect_eq "${tag}colors: \"$words\" is in the warning colour" \
				"$(printf 'e%.0s' $(seq "$cells"))" "$pairs"
		elif grep -q '[a-z]' "$d/01-pending.colors"; then
			not_ok "${tag}colors: NO_COLOR leaves every cell without colour"
		else
			ok "${tag}colors: NO_COLOR leaves every cell without colour"
		fi
	done
}

walk_all ""
pending_colour "" "Endpoint Pending" 16

# Japanese (the guide's language): every script again at both sizes, colour and NO_COLOR,
# against Japanese goldens. The scripts are the English ones with their waits translated
# by tests/screen/ja.map; every screen must lay out by display width without breaking,
# cutting or misaligning (tests/i18n/screen_cuts.sh checks these goldens for cut labels).
if [ -f "$CHLINK_LOCALEDIR/ja/LC_MESSAGES/chlink.mo" ]; then
	ja_dir="$TMPDIR/ja-keys"
	mkdir -p "$ja_dir"
	for entry in "${scripts[@]}"; do ja_keys "${entry%%|*}" "$ja_dir"; done
	saved_root=$golden_root saved_keys=$keys_dir
	golden_root="$top_srcdir/tests/golden/screens/ja" keys_dir=$ja_dir
	walk_all ja
	golden_root=$saved_root keys_dir=$saved_keys
	# 保留中 in words and in colour too: "接続 保留中" takes 11 cells.
	pending_colour ja "接続 保留中" 11
else
	skip "Japanese goldens: no test catalogue (make check builds it)"
fi

# Without UTF-8 in the locale: ASCII fallbacks (one size is enough).
out="$TMPDIR/ascii"
LC_ALL=C run_keys ascii 80x24 color "$out" --demo
expect_eq "ascii: exit status" 0 "$run_rc"
compare_dumps ascii 80x24 color "$out"
if LC_ALL=C grep -q '[^ -~]' "$out"/dumps/*.txt; then
	not_ok "ascii: only ASCII on the screen"; LC_ALL=C grep -n '[^ -~]' "$out"/dumps/*.txt | head -5
else ok "ascii: only ASCII on the screen"; fi
done_testing
