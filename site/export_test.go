package site

import (
	"sync"

	"github.com/gitdora/gitdora/render"
)

// Files renders the site into memory, path → content, for the tests and
// benchmarks: Build writes the same files into its folder.
func Files(o Options) (map[string][]byte, error) {
	r, err := render.New(o.Templates)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	var mu sync.Mutex
	err = files(r, o, func(name string, b []byte) error {
		mu.Lock()
		defer mu.Unlock()
		out[name] = b
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
