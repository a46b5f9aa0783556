// Package sarifgen writes realistic, deterministic SARIF 2.1.0 logs of a
// chosen size for benchmarks and tests: one run of a CodeQL-like tool with
// rules carrying tags and security-severity, and results with a message,
// a primary location with a snippet and partial fingerprints, and (as
// CodeQL's path-problem queries write) a code flow of 4 to 10 steps and
// related locations: about 2.5 KB per result. Dense logs (no flows, about
// 1 KB per result, like flawfinder's or semgrep's) have four times the
// results for the same size.
package sarifgen

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"time"
)

// Write writes a log of at least size bytes to w (the last result may
// pass it) and returns the number of results. Dense logs have no code flows.
// The scan ends at 2026-01-05T10:20:00Z, after 20 minutes.
func Write(w io.Writer, size int64, seed uint64, dense bool) (int, error) {
	return WriteAt(w, size, seed, dense, time.Date(2026, 1, 5, 10, 20, 0, 0, time.UTC))
}

// WriteAt is Write for a scan that ended at end (its invocation's
// endTimeUtc), after 20 minutes.
func WriteAt(w io.Writer, size int64, seed uint64, dense bool, end time.Time) (int, error) {
	cw := &countWriter{w: w}
	b := bufio.NewWriterSize(cw, 1<<20)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	rules, files := 200, 2000 // a large code base
	if size < 1<<20 {
		rules, files = 20, 50 // a small one
	}
	fmt.Fprintf(b, `{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[{"tool":{"driver":{"name":"CodeQL","semanticVersion":"2.25.6","rules":[`)
	for i := 0; i < rules; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(b, `{"id":"go/rule-%03d","name":"Rule%d","shortDescription":{"text":"A generated rule number %d"},"defaultConfiguration":{"level":%q},"properties":{"tags":["security","external/cwe/cwe-%03d"],"precision":"high","security-severity":"%.1f"}}`,
			i, i, i, []string{"error", "warning", "note"}[i%3], 20+i%700, float64(i%100)/10)
	}
	b.WriteString(`]}},"invocations":[{"executionSuccessful":true,"startTimeUtc":"` + end.Add(-20*time.Minute).UTC().Format(time.RFC3339) + `","endTimeUtc":"` + end.UTC().Format(time.RFC3339) + `"}],"automationDetails":{"id":"/language:go/"},"results":[`)
	n := 0
	for ; int64(cw.n+int64(b.Buffered())) < size; n++ {
		if n > 0 {
			b.WriteByte(',')
		}
		rule := rng.IntN(rules)
		file := rng.IntN(files)
		line := 1 + rng.IntN(3000)
		uri := "pkg/module" + strconv.Itoa(file%97) + "/file" + strconv.Itoa(file) + ".go"
		fmt.Fprintf(b, `{"ruleId":"go/rule-%03d","ruleIndex":%d,"rule":{"id":"go/rule-%03d","index":%d},"message":{"text":"This expression flows to a sensitive sink without sanitization: user-provided value %d reaches a call at line %d of this function."},`,
			rule, rule, rule, rule, n, line)
		fmt.Fprintf(b, `"locations":[{"physicalLocation":{"artifactLocation":{"uri":%q,"uriBaseId":"%%SRCROOT%%","index":%d},"region":{"startLine":%d,"startColumn":%d,"endColumn":%d,"snippet":{"text":"\tresult, err := db.Query(fmt.Sprintf(\"SELECT * FROM t WHERE id = %%s\", id%d))\n"}},"contextRegion":{"startLine":%d,"endLine":%d,"snippet":{"text":"func handler(w http.ResponseWriter, r *http.Request) {\n\tid := r.URL.Query().Get(\"id\")\n\tresult, err := db.Query(q)\n\tif err != nil {\n\t\treturn\n\t}\n}\n"}}}}],`,
			uri, file, line, 2+rng.IntN(20), 30+rng.IntN(40), n%50, max(1, line-3), line+3)
		fmt.Fprintf(b, `"partialFingerprints":{"primaryLocationLineHash":"%016x:%d","primaryLocationStartColumnFingerprint":"%d"}`, rng.Uint64(), 1+n%3, rng.IntN(40))
		if !dense {
			b.WriteString(`,"codeFlows":[{"threadFlows":[{"locations":[`)
			for k, steps := 0, 4+rng.IntN(7); k < steps; k++ {
				if k > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(b, `{"location":{"physicalLocation":{"artifactLocation":{"uri":%q,"uriBaseId":"%%SRCROOT%%","index":%d},"region":{"startLine":%d,"startColumn":5,"endColumn":25}},"message":{"text":"step %d: id flows into q"}}}`, uri, file, max(1, line-10+k*3), k)
			}
			b.WriteString(`]}]}]`)
			fmt.Fprintf(b, `,"relatedLocations":[{"id":1,"physicalLocation":{"artifactLocation":{"uri":%q,"uriBaseId":"%%SRCROOT%%","index":%d},"region":{"startLine":%d,"startColumn":9,"endColumn":30}},"message":{"text":"user-provided value"}}]`, uri, file, max(1, line-10))
		}
		b.WriteString(`}`)
	}
	b.WriteString(`],"artifacts":[`)
	for i := 0; i < files; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(b, `{"location":{"uri":"pkg/module%d/file%d.go","uriBaseId":"%%SRCROOT%%"}}`, i%97, i)
	}
	b.WriteString(`],"columnKind":"utf16CodeUnits"}]}` + "\n")
	return n, b.Flush()
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
