package collect

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/gitdora/gitdora/data"
	"github.com/gitdora/gitdora/internal/gittest"
)

// BenchmarkOpenSARIF reads a 20 MB SARIF file of a data branch as
// gatherScans does, stored loose and then packed.
func BenchmarkOpenSARIF(b *testing.B) {
	r := gittest.New(b)
	r.Git("checkout", "-q", "-b", data.DefaultBranch)
	var big bytes.Buffer
	for i := 0; big.Len() < 20<<20; i++ {
		fmt.Fprintf(&big, `{"ruleId":"rule-%d","message":{"text":"finding %d"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/f%d.go"}}}]},`, i%97, i, i%13)
	}
	gittest.WriteFiles(b, r.Dir, map[string]string{"scans/big.sarif": big.String()})
	r.Git("add", ".")
	r.Git("commit", "-q", "-m", "data")
	for _, stage := range []string{"loose", "packed"} {
		if stage == "packed" {
			r.Git("gc", "-q")
		}
		b.Run(stage, func(b *testing.B) {
			s, err := data.Open(r.Dir, "")
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(big.Len()))
			b.ReportAllocs()
			for b.Loop() {
				rc, err := s.Open("scans/big.sarif")
				if err != nil {
					b.Fatal(err)
				}
				n, err := io.Copy(io.Discard, rc)
				rc.Close()
				if err != nil || n != int64(big.Len()) {
					b.Fatal(n, err)
				}
			}
		})
	}
}
