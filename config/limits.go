package config

import (
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/gitdora/gitdora/internal/glob"
	"github.com/gitdora/gitdora/internal/yamledit"
)

// Limits bounds the files gitdora stores and reads (README, Limits).
type Limits struct {
	SARIFBytes         ByteSize `yaml:"sarif_bytes"`         // a SARIF file, decompressed
	CIBytes            ByteSize `yaml:"ci_bytes"`            // a CI run JSON file
	DecompressionRatio int64    `yaml:"decompression_ratio"` // decompressed / compressed size of a gzip file
}

// UnmarshalYAML reads `limits:` over l: each limit given replaces its
// default and must be more than 0; an error names the line and the key.
func (l *Limits) UnmarshalYAML(n *yaml.Node) error {
	if yamledit.IsNull(yamledit.Deref(n)) {
		return nil
	}
	return mapping(n, "limits", []string{"sarif_bytes", "ci_bytes", "decompression_ratio"}, func(k string, v *yaml.Node) error {
		s, err := scalar(v, "limits."+k)
		if err != nil {
			return err
		}
		if k == "decompression_ratio" {
			r, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
			if err != nil || r <= 0 {
				return lineError(v, "limits.decompression_ratio is %s, want a whole number more than 0, e.g. 100", glob.Quote(s))
			}
			l.DecompressionRatio = r
			return nil
		}
		b, err := ParseByteSize(s)
		if err != nil {
			return lineError(v, "%v", err)
		}
		if b <= 0 {
			return lineError(v, "limits.%s is %s, want a size more than 0, e.g. 64MiB", k, glob.Quote(s))
		}
		if k == "sarif_bytes" {
			l.SARIFBytes = b
		} else {
			l.CIBytes = b
		}
		return nil
	})
}

// ByteSize is a size written as a number of bytes, or a number and a
// unit: KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (of 1024).
type ByteSize int64

// ParseByteSize parses "2GiB", "64 MiB", "500MB" or "1048576".
func ParseByteSize(s string) (ByteSize, error) {
	t := strings.TrimSpace(s)
	num := strings.TrimRight(t, "KMGTiBkmgtib ")
	unit := strings.ToLower(strings.TrimSpace(t[len(num):]))
	mult := map[string]float64{"": 1, "b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
		"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40}[unit]
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || mult == 0 || !(v >= 0 && v*mult < 1<<62) { // NaN too
		return 0, fmt.Errorf("%q is not a size (want bytes, or a number and a unit: KB, MB, GB, TB, KiB, MiB, GiB, TiB, e.g. 2GiB)", s)
	}
	return ByteSize(v * mult), nil
}

// String writes the size in the largest binary unit that divides it.
func (b ByteSize) String() string {
	for _, u := range []struct {
		name string
		size ByteSize
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if b >= u.size && b%u.size == 0 {
			return strconv.FormatInt(int64(b/u.size), 10) + " " + u.name
		}
	}
	return strconv.FormatInt(int64(b), 10) + " bytes"
}
