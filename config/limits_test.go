package config

import (
	"strings"
	"testing"
)

func TestParseByteSize(t *testing.T) {
	for in, want := range map[string]ByteSize{"2GiB": 2 << 30, "1.5GiB": 3 << 29, "64 MiB": 64 << 20, "500MB": 500e6, "1048576": 1 << 20, "1kib": 1 << 10, "10B": 10, "1TB": 1e12} {
		if got, err := ParseByteSize(in); err != nil || got != want {
			t.Errorf("ParseByteSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "lots", "-1MiB", "2 GiBs", "1e30", "MiB", "1.5.2MB", "NaN", "nanKiB", "Inf", "-Inf"} {
		if _, err := ParseByteSize(in); err == nil {
			t.Errorf("ParseByteSize(%q) = nil error", in)
		}
	}
	for b, want := range map[ByteSize]string{2 << 30: "2 GiB", 3 << 29: "1536 MiB", 1000: "1000 bytes", 64 << 20: "64 MiB"} {
		if got := b.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int64(b), got, want)
		}
	}
}

// The default limits admit the SARIF files real scanners write (hundreds
// of megabytes, and more: at least 1 GB); a limit of 0 or one that is
// not a size is refused with its line and key.
func TestLimits(t *testing.T) {
	l := Default().Limits
	if l.SARIFBytes < 1e9 || l.CIBytes < 16<<20 || l.DecompressionRatio < 20 {
		t.Errorf("default limits %+v", l)
	}
	if c, err := Parse([]byte("limits:\n"), "g.yml"); err != nil || c.Limits != l {
		t.Errorf("limits: null: %+v, %v", c, err)
	}
	c, err := Parse([]byte("limits:\n  sarif_bytes: 3GiB\n"), "g.yml")
	if err != nil || c.Limits.SARIFBytes != 3<<30 || c.Limits.CIBytes != l.CIBytes {
		t.Errorf("one limit set: %+v, %v", c, err)
	}
	for doc, want := range map[string]string{
		"limits:\n  ci_bytes: 0\n":                `g.yml: line 2: limits.ci_bytes is "0", want a size more than 0`,
		"limits:\n  sarif_bytes: lots\n":          `g.yml: line 2: "lots" is not a size`,
		"limits:\n  sarif_bytes: NaN\n":           `g.yml: line 2: "NaN" is not a size`,
		"limits:\n\n  decompression_ratio: -1\n":  `g.yml: line 3: limits.decompression_ratio is "-1", want a whole number more than 0`,
		"limits:\n  decompression_ratio: 1e400\n": `g.yml: line 2: limits.decompression_ratio is "1e400", want a whole number more than 0`,
		"limits:\n  decompression_ratio: [1]\n":   `g.yml: line 2: limits.decompression_ratio: want a text value`,
		"limits:\n  gzip: 1\n":                    `g.yml: line 2: limits: unknown key "gzip"`,
		"limits:\n  ci_bytes: 1\n  ci_bytes: 2\n": `g.yml: line 3: limits: "ci_bytes" is given twice`,
		"limits: 5\n": `g.yml: line 1: limits: want a mapping`,
	} {
		if _, err := Parse([]byte(doc), "g.yml"); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", doc, err, want)
		}
	}
}
