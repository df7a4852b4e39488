// Package e2e_test drives the real sprout binary as a separate process, the
// way it runs in production: over HTTP, with signals, and through a real
// browser.
package e2e_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"sprout/internal/clock"
)

// binary is the sprout executable that TestMain builds once for the whole
// package, so every test runs what `go build` ships.
var binary string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "sprout-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "sprout")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building sprout: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

// lockedBuffer collects a process's output while tests read it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// server is one running `sprout serve` process.
type server struct {
	// clockOffset is CLOCK_OFFSET as the process got it: its clock is the
	// machine's moved by that much.
	clockOffset time.Duration
	addr        string // 127.0.0.1:port
	base        string // http://127.0.0.1:port
	cmd         *exec.Cmd
	exited      chan struct{} // closed once the process is reaped
	stderr      lockedBuffer
}

// now is the time by the server's clock.
func (s *server) now() time.Time { return clock.System{Offset: s.clockOffset}.Now() }

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startServer runs `sprout serve` on dataDir, with env added to its
// environment, and returns once /healthz answers. The process is killed
// when the test ends, whatever happened.
func startServer(t *testing.T, dataDir string, env ...string) *server {
	t.Helper()
	port := freePort(t)
	s := &server{addr: "127.0.0.1:" + strconv.Itoa(port), exited: make(chan struct{})}
	s.base = "http://" + s.addr
	s.cmd = exec.Command(binary, "serve")
	// A clean environment: a developer's MONGODB_URI or SMTP_URL must not
	// change what these tests exercise.
	s.cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + dataDir,
		"PORT=" + strconv.Itoa(port),
		"DATA_DIR=" + dataDir,
		"LOG_LEVEL=error",
		"BASE_URL=" + s.base,
		"CLOCK_OFFSET=" + os.Getenv("CLOCK_OFFSET"),
	}
	s.cmd.Env = append(s.cmd.Env, env...)
	for _, kv := range s.cmd.Env {
		// The last of a repeated variable is the one the process sees.
		if v, ok := strings.CutPrefix(kv, "CLOCK_OFFSET="); ok {
			s.clockOffset = 0
			if v != "" {
				var err error
				if s.clockOffset, err = time.ParseDuration(v); err != nil {
					t.Fatalf("CLOCK_OFFSET: %v", err)
				}
			}
		}
	}
	s.cmd.Stderr = &s.stderr
	// Cleanups do not run when the test binary dies (a -timeout panic):
	// the kernel then kills the server, so none is left behind.
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		s.cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-s.exited:
		default:
			s.cmd.Process.Kill()
			<-s.exited
		}
		if t.Failed() {
			t.Logf("server %s stderr:\n%s", s.addr, s.stderr.String())
		}
	})

	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(20 * time.Second)
	for {
		select {
		case <-s.exited:
			t.Fatalf("sprout serve exited before answering /healthz (%v):\n%s", s.cmd.ProcessState, s.stderr.String())
		default:
		}
		if res, err := client.Get(s.base + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("/healthz did not answer 200 within 20 s:\n%s", s.stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitExit waits for the process to end and returns its exit code.
func (s *server) waitExit(t *testing.T, within time.Duration) int {
	t.Helper()
	select {
	case <-s.exited:
		return s.cmd.ProcessState.ExitCode()
	case <-time.After(within):
		t.Fatalf("sprout still running %s after SIGTERM", within)
		return -1
	}
}

// refusing tells whether nothing accepts connections on the address.
func refusing(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, 500*time.Millisecond)
	if err == nil {
		c.Close()
		return false
	}
	return true
}

type account struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Name     string `json:"name"`
}

// postJSON sends body to the API and decodes the answer into out.
func (s *server) postJSON(t *testing.T, path string, body, out any) int {
	t.Helper()
	data, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	res, err := apiClient.Post(s.base+path, "application/json", bytes.NewReader(data))
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("POST %s answered %d with %q: %v", path, res.StatusCode, strings.TrimSpace(string(raw)), err)
		}
	}
	return res.StatusCode
}
