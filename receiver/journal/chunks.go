package journal

// chunkSize is the number of entries per storage chunk.
const chunkSize = 1024

// chunks is a FIFO of entries stored in fixed-size chunks, so appending
// never copies the entries already held (a single growing slice would copy
// the whole journal on every growth, on the receiver's hot path) and
// evicting from the front releases memory chunk by chunk.
type chunks[T any] struct {
	blocks [][]T // blocks[0][head] is the oldest entry; every block has cap chunkSize
	head   int
	n      int
	spare  []T // the last block emptied, kept for the next push: a full log recycles its blocks
}

// len returns the number of entries held.
func (c *chunks[T]) len() int { return c.n }

// at returns the i-th oldest entry (0-based); i must be below len.
func (c *chunks[T]) at(i int) *T {
	i += c.head
	return &c.blocks[i/chunkSize][i%chunkSize]
}

// push appends v.
func (c *chunks[T]) push(v T) {
	if len(c.blocks) == 0 || len(c.blocks[len(c.blocks)-1]) == chunkSize {
		b := c.spare
		if b == nil {
			b = make([]T, 0, chunkSize)
		}
		c.spare = nil
		c.blocks = append(c.blocks, b)
	}
	last := len(c.blocks) - 1
	c.blocks[last] = append(c.blocks[last], v)
	c.n++
}

// popFront drops the oldest entry; the chunk it sat in becomes the spare
// once all of its entries are gone (the spare it replaces is released).
func (c *chunks[T]) popFront() {
	if c.n == 0 {
		return
	}
	var zero T
	c.blocks[0][c.head] = zero
	c.head++
	c.n--
	if c.head == chunkSize || c.n == 0 {
		c.spare = c.blocks[0][:0] // every entry of it is zeroed
		c.blocks[0] = nil
		c.blocks = c.blocks[1:]
		c.head = 0
		if c.n == 0 {
			c.blocks = nil
		}
	}
}

// reset drops every entry.
func (c *chunks[T]) reset() { *c = chunks[T]{} }
