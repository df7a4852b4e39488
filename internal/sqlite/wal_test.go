package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sprout/internal/sqlite"
)

// Writes that never stop, with readers that never stop either, keep the
// write-ahead log bounded: a rush must not fill the disk with it.
func TestWALStaysBoundedUnderSteadyWritesAndReads(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sprout.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var peak atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > peak.Load() {
				peak.Store(fi.Size())
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	})
	for r := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				_, _ = s.KVGet(ctx, fmt.Sprintf("k%d", (i+r)%50), time.Time{})
			}
		})
	}
	// Many writers at once, as in a registration rush: their commits are
	// grouped, so a write transaction is nearly always open.
	value := make([]byte, 64<<10)
	const writers, each = 16, 120 // 120 MB through the log
	var writing sync.WaitGroup
	for w := range writers {
		writing.Go(func() {
			for i := range each {
				if err := s.KVSet(ctx, fmt.Sprintf("k%d", w*each+i), value, time.Time{}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	writing.Wait()
	const writes = writers * each
	close(stop)
	wg.Wait()
	const bound = 64 << 20
	t.Logf("write-ahead log peak: %.1f MB over %d MB written", float64(peak.Load())/(1<<20), writes*len(value)>>20)
	if peak.Load() > bound {
		t.Fatalf("the write-ahead log reached %.1f MB, over %d MB", float64(peak.Load())/(1<<20), bound>>20)
	}
}
