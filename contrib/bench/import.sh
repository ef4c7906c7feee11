#!/bin/sh
# Benchmark: subscriber import of 100,000 rows, then subscriber list --csv
# and subscriber export of them.  Prints wall time, CPU time and peak RSS
# of each (targets: import < 5 s, export < 2 s, peak RSS < 64 MB); never
# passes or fails.  GAZETTE names the binary (default ./gazette).
set -u

GAZETTE=${GAZETTE:-./gazette}
case $GAZETTE in /*) ;; *) GAZETTE=$(pwd)/$GAZETTE ;; esac
ROWS=${ROWS:-100000}
[ -x /usr/bin/time ] || { echo "import.sh: needs /usr/bin/time (GNU time)"; exit 0; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/gazette-bench.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT INT TERM
export GAZETTE_DB="$dir/bench.db"
unset GAZETTE_CONF

for t in news tech sport science culture; do
	"$GAZETTE" -q topic add "$t" || exit 1
done

# Subscribers spread over the topics: one, two or three each, some names
# quoted, both frequencies.
awk -v n="$ROWS" 'BEGIN {
	split("news tech sport science culture", t, " ")
	print "email,name,topics,status,frequency"
	for (i = 0; i < n; i++) {
		topics = t[i % 5 + 1]
		if (i % 3 == 0) topics = topics ";" t[(i + 1) % 5 + 1]
		if (i % 7 == 0) topics = topics ";" t[(i + 3) % 5 + 1]
		name = i % 4 ? "Reader " i : "\"Reader, " i "\""
		printf "reader%06d@example%d.org,%s,%s,active,%s\r\n", i, i % 50,
		    name, topics, i % 2 ? "weekly" : "daily"
	}
}' >"$dir/subscribers.csv"
echo "input: $ROWS rows, $(wc -c <"$dir/subscribers.csv") bytes"

# measure NAME COMMAND...: one line of figures from /usr/bin/time -v.
measure() {
	name=$1
	shift
	/usr/bin/time -v -o "$dir/time.txt" "$@" >"$dir/out" 2>"$dir/err"
	rc=$?
	awk -v name="$name" -v rc="$rc" -F': ' '
	/Elapsed \(wall clock\)/ { n = split($2, p, ":"); wall = 0
		for (i = 1; i <= n; i++) wall = wall * 60 + p[i] }
	/User time/ { user = $2 } /System time/ { sys = $2 }
	/Maximum resident/ { rss = $2 }
	END { printf "%-24s wall %6.2f s  cpu %6.2f s  peak RSS %6.1f MB  exit %s\n",
	    name, wall, user + sys, rss / 1024, rc }' "$dir/time.txt"
}

measure "subscriber import" "$GAZETTE" subscriber import "$dir/subscribers.csv"
tail -n 1 "$dir/out"
measure "subscriber list --csv" "$GAZETTE" subscriber list --csv
echo "  $(($(wc -l <"$dir/out") - 1)) rows listed"
measure "subscriber export" "$GAZETTE" subscriber export -o "$dir/export.csv"
echo "  $(($(wc -l <"$dir/export.csv") - 1)) rows exported"
measure "import of the export" "$GAZETTE" subscriber import "$dir/export.csv"
tail -n 1 "$dir/out"
