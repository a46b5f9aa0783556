package git

import (
	"container/list"
	"sync"
)

// cache keeps the most recently used delta bases, up to max bytes, so
// that the deltas of a chain (a file's versions, a branch's commits) are
// each applied once rather than rebuilt from the chain's end every time.
type cache struct {
	mu    sync.Mutex
	max   int
	size  int
	m     map[cacheKey]*list.Element
	order list.List // front: most recently used
}

type cacheKey struct {
	p   *pack
	off int64
}

type cached struct {
	k cacheKey
	t ObjectType
	b []byte
}

func newCache(max int) *cache {
	return &cache{max: max, m: map[cacheKey]*list.Element{}}
}

func (c *cache) get(p *pack, off int64) (ObjectType, []byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.m[cacheKey{p, off}]
	if !ok {
		return 0, nil, false
	}
	c.order.MoveToFront(el)
	v := el.Value.(*cached)
	return v.t, v.b, true
}

// add keeps b (not copied: it must not change) as the object at off of p.
func (c *cache) add(p *pack, off int64, t ObjectType, b []byte) {
	if len(b) > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	k := cacheKey{p, off}
	if _, ok := c.m[k]; ok {
		return
	}
	c.m[k] = c.order.PushFront(&cached{k, t, b})
	c.size += len(b)
	for c.size > c.max {
		el := c.order.Back()
		v := el.Value.(*cached)
		c.order.Remove(el)
		delete(c.m, v.k)
		c.size -= len(v.b)
	}
}

func (c *cache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m, c.size = map[cacheKey]*list.Element{}, 0
	c.order.Init()
}
