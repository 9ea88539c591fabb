#!/bin/bash
# Resize in the middle of a form: below 80x24 the wizard shows "make the window
# larger" instead of the layout; back at full size the form is redrawn exactly as
# before, with the typed text (multibyte included) intact.
source "$top_srcdir/tests/lib.sh"
source "$top_srcdir/tests/screen/screenlib.sh"

[ -x "$harness" ] || { echo "1..0 # SKIP no $harness"; exit 77; }

for color in color nocolor; do
	out="$TMPDIR/resize-$color"
	run_keys resize 100x30 "$color" "$out" --demo
	expect_eq "resize ($color): exit status" 0 "$run_rc"
	d="$out/dumps"
	expect_match "resize ($color): typed text is in the form" \
		'Endpoint name +pe-日本-tëst' "$(cat "$d/before.txt")"
	expect_match "resize ($color): 60x20 shows the notice" \
		'Make the window larger \(need 80x24, have 60x20\)' "$(cat "$d/small.txt")"
	if grep -q 'Endpoint name' "$d/small.txt"; then
		not_ok "resize ($color): no broken layout below 80x24"
	else
		ok "resize ($color): no broken layout below 80x24"
	fi
	expect_eq "resize ($color): keys typed while too small are ignored" \
		"$(cat "$d/before.txt")" "$(cat "$d/after.txt")"
	expect_match "resize ($color): editing goes on after the resize" \
		'Endpoint name +pe-日本-tëst-2' "$(cat "$d/edited.txt")"
	expect_match "resize ($color): 80x24 fits again" 'Endpoint name +pe-日本-tëst-2' \
		"$(cat "$d/edited-80x24.txt")"
done
done_testing
