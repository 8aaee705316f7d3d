package receipts

import "sync"

// batchWorkers is how many posts of one batch are worked on at once; each
// mostly waits on the server, so a few in flight cut a batch's latency.
const batchWorkers = 8

// parallel runs fn(0..n-1) on up to batchWorkers goroutines and waits.
func parallel(n int, fn func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(n, batchWorkers); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}
