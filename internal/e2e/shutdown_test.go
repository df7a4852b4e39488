package e2e_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"
)

// TestSIGTERMDrainsAndExitsZero stops the server the way a platform does on
// deploy: a request still arriving when SIGTERM comes is answered, new
// connections are refused, the process exits 0, and what was written is
// there after a restart on the same data.
func TestSIGTERMDrainsAndExitsZero(t *testing.T) {
	dataDir := t.TempDir()
	s := startServer(t, dataDir)

	before := account{Email: "truoc.khi.dung@example.vn", Password: "mầm xanh trước khi dừng", Name: "Trần Thị Bích Ngọc"}
	if code := s.postJSON(t, "/api/v1/auth/signup", before, nil); code != http.StatusCreated {
		t.Fatalf("signup before SIGTERM: %d, want 201", code)
	}

	// The second signup is in flight when SIGTERM arrives: with
	// "Expect: 100-continue" the server's "100 Continue" proves it has read
	// the headers and is waiting for the body, which is only sent after the
	// signal.
	during := account{Email: "dang.dung@example.vn", Password: "gửi xong mới dừng", Name: "Lê Văn Đạt"}
	body, err := json.Marshal(during)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(15 * time.Second))
	fmt.Fprintf(conn, "POST /api/v1/auth/signup HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"+
		"Content-Length: %d\r\nExpect: 100-continue\r\n\r\n", s.addr, len(body))
	r := bufio.NewReader(conn)
	if cont, err := http.ReadResponse(r, nil); err != nil || cont.StatusCode != http.StatusContinue {
		t.Fatalf("before the body: %v %v, want 100 Continue", cont, err)
	}

	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(3 * time.Second)
	for !refusing(s.addr) {
		if time.Now().After(deadline) {
			t.Fatal("new connections are still accepted 3 s after SIGTERM")
		}
		time.Sleep(20 * time.Millisecond)
	}
	select {
	case <-s.exited:
		t.Fatal("the server exited with a request still in flight")
	default:
	}

	if _, err := conn.Write(body); err != nil {
		t.Fatalf("sending the body after SIGTERM: %v", err)
	}
	res, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatalf("the request in flight got no answer: %v", err)
	}
	answer, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("signup in flight at SIGTERM: %d %s, want 201", res.StatusCode, answer)
	}

	if code := s.waitExit(t, 12*time.Second); code != 0 {
		t.Fatalf("exit code after SIGTERM: %d, want 0", code)
	}
	if !refusing(s.addr) {
		t.Fatal("the port still accepts connections after exit")
	}

	s = startServer(t, dataDir)
	for _, a := range []account{before, during} {
		var got struct {
			Token string `json:"token"`
			User  struct {
				Name string `json:"name"`
			} `json:"user"`
		}
		code := s.postJSON(t, "/api/v1/auth/login", map[string]string{"email": a.Email, "password": a.Password}, &got)
		if code != http.StatusOK || got.Token == "" || got.User.Name != a.Name {
			t.Errorf("login of %s after restart: %d %+v, want 200 with a token and name %q", a.Email, code, got, a.Name)
		}
	}
}
