//go:build !unix

package bench

import "time"

// processCPU is unavailable here: the benchmarks then report no cpu-ns/op.
func processCPU() (time.Duration, bool) { return 0, false }

// childCPU is unavailable here: the benchmarks then report no server-cpu-ns/op.
func childCPU(int) (time.Duration, bool) { return 0, false }
