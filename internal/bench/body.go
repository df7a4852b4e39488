package bench

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

// Body measures what large anonymous bodies cost the server: clients each
// send one body of the given size to the lost-ticket endpoint at once, and
// the server's peak memory is read afterwards.
func Body(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench body", flag.ContinueOnError)
	clients := fs.Int("clients", 30, "concurrent clients, one body each")
	size := fs.Int("size", 31_000_000, "bytes in each body")
	bin := fs.String("server", "", "the sprout binary to measure (default: this one), to compare builds")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "sprout-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	srv, err := startServerBinary(*bin, dir)
	if err != nil {
		return err
	}
	defer srv.stop()
	fmt.Fprintf(stdout, "body benchmark: %d clients, %d bytes each, to POST /api/v1/tickets/lost\n", *clients, *size)
	fmt.Fprintf(stdout, "server memory before: %s\n", srv.memory())

	start := time.Now()
	var mu sync.Mutex
	outcomes := map[string]int{}
	var wg sync.WaitGroup
	for range *clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outcome := sendBody(srv.base+"/api/v1/tickets/lost", *size)
			mu.Lock()
			outcomes[outcome]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	took := time.Since(start)

	names := make([]string, 0, len(outcomes))
	for o := range outcomes {
		names = append(names, o)
	}
	sort.Strings(names)
	for _, o := range names {
		fmt.Fprintf(stdout, "  %s: %d\n", o, outcomes[o])
	}
	fmt.Fprintf(stdout, "answered in %s\n", took.Round(time.Millisecond))
	fmt.Fprintf(stdout, "server memory after: %s\n", srv.memory())
	return nil
}

// sendBody posts a JSON body of size bytes, made as it is sent, and tells
// the answer's status or the error.
func sendBody(url string, size int) string {
	head, tail := `{"email":"lost@example.vn"`, `}`
	body := io.MultiReader(strings.NewReader(head), io.LimitReader(spaces{}, int64(size-len(head)-len(tail))), strings.NewReader(tail))
	req, err := http.NewRequest("POST", url, body)
	if err != nil {
		return err.Error()
	}
	req.ContentLength = int64(size)
	req.Header.Set("Content-Type", "application/json")
	client := &http.Client{Timeout: 5 * time.Minute, Transport: &http.Transport{DisableKeepAlives: true}}
	res, err := client.Do(req)
	if err != nil {
		return "error: " + err.Error()
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return fmt.Sprintf("status %d", res.StatusCode)
}

// spaces reads as endless blanks.
type spaces struct{}

func (spaces) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}
