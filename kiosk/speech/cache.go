package speech

import "container/list"

// lru keeps recently spoken lines in memory, bounded by bytes: reading a
// screen again, or the player's Range requests for the same line, cost
// nothing. Memory only, by design: the text can be what a resident sees.
// Not safe for concurrent use; Engine guards it.
type lru struct {
	max, size int
	order     *list.List // front: most recently used
	items     map[string]*list.Element
}

type lruItem struct {
	key string
	wav []byte
}

func newLRU(max int) *lru {
	return &lru{max: max, order: list.New(), items: map[string]*list.Element{}}
}

func cost(key string, wav []byte) int { return len(key) + len(wav) }

func (c *lru) get(key string) ([]byte, bool) {
	el, ok := c.items[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*lruItem).wav, true
}

// add keeps wav under key, dropping the least recently used lines to make
// room; a line bigger than the whole cache is not kept.
func (c *lru) add(key string, wav []byte) {
	n := cost(key, wav)
	if n > c.max {
		return
	}
	if el, ok := c.items[key]; ok {
		c.size -= cost(key, el.Value.(*lruItem).wav)
		c.order.Remove(el)
		delete(c.items, key)
	}
	for c.size+n > c.max {
		old := c.order.Back()
		it := old.Value.(*lruItem)
		c.size -= cost(it.key, it.wav)
		c.order.Remove(old)
		delete(c.items, it.key)
	}
	c.items[key] = c.order.PushFront(&lruItem{key, wav})
	c.size += n
}

func (c *lru) len() int { return len(c.items) }
