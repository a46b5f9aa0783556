package git

import "errors"

// applyDelta applies the git delta d to base, appending the result to
// dst[:0] (which it grows as needed).
func applyDelta(dst, base, d []byte) ([]byte, error) {
	varint := func() (int, bool) {
		v, shift := 0, 0
		for i, c := range d {
			v |= int(c&0x7f) << shift
			shift += 7
			if c&0x80 == 0 {
				d = d[i+1:]
				return v, true
			}
			if shift > 56 {
				break
			}
		}
		return 0, false
	}
	src, ok1 := varint()
	size, ok2 := varint()
	if !ok1 || !ok2 || src != len(base) || size < 0 || size > maxObject {
		return nil, errors.New("delta does not fit its base")
	}
	if want := min(size, len(base)+len(d)); dst == nil || cap(dst) < want { // a corrupt size allocates no more than that
		dst = make([]byte, 0, want)
	}
	out := dst[:0]
	for len(d) > 0 {
		op := d[0]
		d = d[1:]
		switch {
		case op&0x80 != 0:
			var off, n int
			for k := 0; k < 7; k++ {
				if op&(1<<k) == 0 {
					continue
				}
				if len(d) == 0 {
					return nil, errors.New("truncated delta")
				}
				if k < 4 {
					off |= int(d[0]) << (8 * k)
				} else {
					n |= int(d[0]) << (8 * (k - 4))
				}
				d = d[1:]
			}
			if n == 0 {
				n = 0x10000
			}
			if off+n > len(base) || off+n < off {
				return nil, errors.New("delta copies beyond its base")
			}
			out = append(out, base[off:off+n]...)
		case op != 0:
			if int(op) > len(d) {
				return nil, errors.New("truncated delta")
			}
			out = append(out, d[:op]...)
			d = d[op:]
		default:
			return nil, errors.New("bad delta opcode 0")
		}
		if len(out) > size {
			return nil, errors.New("delta result has the wrong size")
		}
	}
	if len(out) != size {
		return nil, errors.New("delta result has the wrong size")
	}
	return out, nil
}
