//go:build unix

package replay

import (
	"syscall"
	"time"
)

// preciseSleep blocks the calling goroutine's thread in nanosleep.
func preciseSleep(d time.Duration) {
	ts := syscall.NsecToTimespec(int64(d))
	_ = syscall.Nanosleep(&ts, nil)
}
