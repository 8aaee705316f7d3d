package mmtest

import (
	"fmt"
	"time"
)

// Poll calls check every interval until it reports done or timeout passes; the
// error carries check's last description of what it saw. It is the only way
// these tests wait for something asynchronous: never a bare sleep.
func Poll(timeout, interval time.Duration, check func() (done bool, last string)) error {
	deadline := time.Now().Add(timeout)
	for {
		done, last := check()
		if done {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not within %s: %s", timeout, last)
		}
		time.Sleep(interval)
	}
}
