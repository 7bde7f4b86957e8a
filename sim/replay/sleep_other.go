//go:build !unix

package replay

import "time"

func preciseSleep(d time.Duration) { time.Sleep(d) }
