# benchratio.awk reads `go test -bench` output of BenchmarkThroughput and
# prints, per sub-benchmark, the median ns/op and calls/s, and the ratio of
# each to the "bare" baseline measured in the same run.
/^BenchmarkThroughput\// {
	split($1, parts, "/"); name = parts[2]; sub(/-[0-9]+$/, "", name)
	for (i = 2; i <= NF; i++) if ($(i+1) == "ns/op") { ns[name, ++n[name]] = $i }
}
function median(name,    i, j, t, a, k) {
	k = n[name]
	for (i = 1; i <= k; i++) a[i] = ns[name, i]
	for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
}
END {
	if (!n["bare"]) { print "benchratio: no bare baseline in the input"; exit 1 }
	base = median("bare")
	printf "%-10s %8s %12s %12s %8s\n", "handler", "runs", "ns/op", "calls/s", "ratio"
	for (name in n) {
		m = median(name)
		printf "%-10s %8d %12.0f %12.0f %8.2f\n", name, n[name], m, 1e9 / m, base / m
	}
}
