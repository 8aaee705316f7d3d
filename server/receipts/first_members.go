package receipts

import (
	"container/heap"
	"slices"
)

// firstMembers keeps the first limit members offered, by username then id.
// A page of the unread list is 100 of up to 10,000 recipients: a heap of 100
// costs about a tenth of sorting them all, which was most of the page's time.
type firstMembers struct {
	limit int
	seen  int           // members offered
	heap  memberMaxHeap // the first ones so far, the last of them on top
}

func (f *firstMembers) offer(m Member) {
	f.seen++
	switch {
	case len(f.heap) < f.limit:
		heap.Push(&f.heap, m)
	case f.limit > 0 && less(m, f.heap[0]):
		f.heap[0] = m
		heap.Fix(&f.heap, 0)
	}
}

// sorted returns the members kept, first first.
func (f *firstMembers) sorted() []Member {
	out := slices.Clone([]Member(f.heap))
	slices.SortFunc(out, compareMembers)
	return out
}

// memberMaxHeap is a heap whose top is the member that comes last.
type memberMaxHeap []Member

func (h memberMaxHeap) Len() int           { return len(h) }
func (h memberMaxHeap) Less(i, j int) bool { return less(h[j], h[i]) }
func (h memberMaxHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *memberMaxHeap) Push(x any)        { *h = append(*h, x.(Member)) }
func (h *memberMaxHeap) Pop() any {
	old := *h
	m := old[len(old)-1]
	*h = old[:len(old)-1]
	return m
}
