package app

import (
	"context"
	"fmt"
	"net"
	"os"
	"runtime/pprof"
	"testing"
)

func TestProfileRegistration(t *testing.T) {
	dir := t.TempDir()
	assets := Assets{Views: os.DirFS("../views"), Static: os.DirFS("../static")}
	eventID, typeID, err := benchSeed(dir, assets, 2000, 20000)
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := LoadConfig(func(k string) string { return map[string]string{"DATA_DIR": dir, "LOG_LEVEL": "error", "REGISTRATION_LIMIT": "0"}[k] })
	a, err := New(context.Background(), cfg, assets)
	if err != nil {
		t.Fatal(err)
	}
	w, _ := a.Web()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	go w.Listener(ln)
	f, _ := os.Create("/tmp/reg.prof")
	pprof.StartCPUProfile(f)
	body := func(i int) string {
		return fmt.Sprintf(`{"ticket_type_id":%q,"name":"Khách %d","email":"b%d@example.vn","phone":"0912 345 678"}`, typeID, i, i)
	}
	r := load("http://"+ln.Addr().String()+"/api/v1/events/"+eventID+"/registrations", 64, 10000, body, 201)
	pprof.StopCPUProfile()
	r.print(os.Stdout, "reg")
}
