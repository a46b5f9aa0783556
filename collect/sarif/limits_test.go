package sarif

import (
	"bytes"
	"compress/gzip"
	"errors"
	"math"
	"strings"
	"testing"
)

// Read stops at Limits: a log over Bytes, a gzip input that inflates past
// Ratio times what was read (plus RatioSlack); within them it reads as
// without them.
func TestReadLimits(t *testing.T) {
	doc := []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[]}]}`)
	read := func(in []byte, lim Limits) error {
		_, err := Read(bytes.NewReader(in), Options{Limits: lim}, func(*Run) error { return nil })
		return err
	}
	var le *LimitError
	if err := read(doc, Limits{Bytes: 20}); !errors.As(err, &le) || le.Bytes != 20 {
		t.Errorf("over Bytes: %v", err)
	}
	if err := read(doc, Limits{Bytes: int64(len(doc))}); err != nil {
		t.Errorf("exactly Bytes: %v", err)
	}
	var b bytes.Buffer
	z, _ := gzip.NewWriterLevel(&b, gzip.BestSpeed)
	z.Write(doc[:len(doc)-1])
	z.Write(bytes.Repeat([]byte(" "), RatioSlack+8<<20))
	z.Write([]byte("}"))
	z.Close()
	if err := read(b.Bytes(), Limits{Ratio: 10}); !errors.As(err, &le) || le.Ratio != 10 || !strings.Contains(err.Error(), "inflates to more than 10 times its size") {
		t.Errorf("a bomb: %v", err)
	}
	if err := read(b.Bytes(), Limits{Ratio: 1000000}); err != nil {
		t.Errorf("within the ratio: %v", err)
	}
	// A ratio so large that it times the bytes read overflows is no bound,
	// not a bound every gzip file crosses.
	for _, ratio := range []int64{math.MaxInt64, math.MaxInt64 / 1000} {
		if err := read(b.Bytes(), Limits{Ratio: ratio}); err != nil {
			t.Errorf("ratio %d: %v", ratio, err)
		}
	}
}
