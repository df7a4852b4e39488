package storetest

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	driver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/writeconcern"
	"go.mongodb.org/mongo-driver/v2/x/bsonx/bsoncore"
)

// Many goroutines on one pool increment one counter: each increment is
// atomic, so every value from 1 to the total is handed out exactly once.
func TestRelayKeepsConcurrentIncrementsExact(t *testing.T) {
	uri := FerretDBURI(t)
	var pooled sync.Map
	client := connect(t, options.Client().ApplyURI(uri).SetPoolMonitor(&event.PoolMonitor{Event: func(e *event.PoolEvent) {
		if e.Type == event.ConnectionReady {
			pooled.Store(e.ConnectionID, true)
		}
	}}))
	ctx := context.Background()
	coll := client.Database(TestDatabase()).Collection("counters")
	if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: "c"}, {Key: "n", Value: 0}}); err != nil {
		t.Fatal(err)
	}
	const goroutines, each = 20, 10
	got := make(chan int, goroutines*each)
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for range each {
				var doc struct{ N int }
				err := coll.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: "c"}}, bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: 1}}}},
					options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&doc)
				if err != nil {
					t.Error(err)
					return
				}
				got <- doc.N
			}
		})
	}
	wg.Wait()
	close(got)
	var values []int
	for n := range got {
		values = append(values, n)
	}
	slices.Sort(values)
	want := make([]int, goroutines*each)
	for i := range want {
		want[i] = i + 1
	}
	if !slices.Equal(values, want) {
		t.Fatalf("increments returned %v, want 1 to %d once each", values, len(want))
	}
	conns := 0
	pooled.Range(func(any, any) bool { conns++; return true })
	if conns < 2 {
		t.Fatalf("the pool used %d connection: nothing ran side by side", conns)
	}
}

// A cursor opened on one client's connection goes on from another client's:
// both reach the one upstream connection the cursor lives on.
func TestRelayRunsGetMoreFromAnotherConnection(t *testing.T) {
	uri := FerretDBURI(t)
	a := connect(t, options.Client().ApplyURI(uri))
	b := connect(t, options.Client().ApplyURI(uri))
	ctx := context.Background()
	db := TestDatabase()
	var docs []any
	for i := range 10 {
		docs = append(docs, bson.D{{Key: "_id", Value: i}})
	}
	if _, err := a.Database(db).Collection("items").InsertMany(ctx, docs); err != nil {
		t.Fatal(err)
	}
	type batch struct {
		Cursor struct {
			ID         int64 `bson:"id"`
			FirstBatch []struct {
				ID int `bson:"_id"`
			} `bson:"firstBatch"`
			NextBatch []struct {
				ID int `bson:"_id"`
			} `bson:"nextBatch"`
		} `bson:"cursor"`
	}
	var res batch
	err := a.Database(db).RunCommand(ctx, bson.D{{Key: "find", Value: "items"}, {Key: "sort", Value: bson.D{{Key: "_id", Value: 1}}}, {Key: "batchSize", Value: 3}}).Decode(&res)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int
	for _, d := range res.Cursor.FirstBatch {
		ids = append(ids, d.ID)
	}
	// Four batches of three hold ten; a fifth getMore would be one too many.
	for range 4 {
		id := res.Cursor.ID
		if id == 0 {
			break
		}
		res = batch{}
		if err := b.Database(db).RunCommand(ctx, bson.D{{Key: "getMore", Value: id}, {Key: "collection", Value: "items"}, {Key: "batchSize", Value: 3}}).Decode(&res); err != nil {
			t.Fatal(err)
		}
		for _, d := range res.Cursor.NextBatch {
			ids = append(ids, d.ID)
		}
	}
	want := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	if !slices.Equal(ids, want) || res.Cursor.ID != 0 {
		t.Fatalf("read %v across two clients, cursor %d left open; want %v", ids, res.Cursor.ID, want)
	}

	// Small batches from many goroutines: the driver sends each getMore on
	// whichever pooled connection is free.
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			cur, err := a.Database(db).Collection("items").Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetBatchSize(2))
			if err != nil {
				t.Error(err)
				return
			}
			defer cur.Close(ctx)
			var got []int
			for cur.Next(ctx) {
				got = append(got, int(cur.Current.Lookup("_id").AsInt64()))
			}
			if err := cur.Err(); err != nil {
				t.Error(err)
				return
			}
			if !slices.Equal(got, want) {
				t.Errorf("a cursor read %v, want %v", got, want)
			}
		})
	}
	wg.Wait()
}

// FerretDB answers writes that asked for no answer; the relay drops that
// answer, so the next request gets its own.
func TestRelayTakesUnacknowledgedWrites(t *testing.T) {
	client := connect(t, options.Client().ApplyURI(FerretDBURI(t)))
	ctx := context.Background()
	db := client.Database(TestDatabase())
	quiet := db.Collection("events", options.Collection().SetWriteConcern(writeconcern.Unacknowledged()))
	for i := range 3 {
		if _, err := quiet.InsertOne(ctx, bson.D{{Key: "_id", Value: i}}); err != nil {
			t.Fatal(err)
		}
	}
	n, err := db.Collection("events").CountDocuments(ctx, bson.D{})
	if err != nil || n != 3 {
		t.Fatalf("CountDocuments = %d, %v; want 3", n, err)
	}
	var doc struct {
		ID int `bson:"_id"`
	}
	if err := db.Collection("events").FindOne(ctx, bson.D{{Key: "_id", Value: 2}}).Decode(&doc); err != nil || doc.ID != 2 {
		t.Fatalf("FindOne = %+v, %v", doc, err)
	}
}

// Once the first hello is cached, hellos (handshakes and monitoring) are
// answered while the upstream is busy, each in the shape it was asked in.
func TestRelayAnswersHelloWhileTheUpstreamIsBusy(t *testing.T) {
	r, err := newRelay(startFerretDB(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.close)
	first := dial(t, r)
	if doc := exchange(t, first, query(1, bson.D{{Key: "isMaster", Value: 1}, {Key: "helloOk", Value: true}, {Key: "client", Value: bson.D{{Key: "application", Value: bson.D{{Key: "name", Value: "relay test"}}}}}}), opReply); !isPrimary(doc) {
		t.Fatalf("first hello: %v", doc)
	}

	r.turn.Lock()
	unlock := sync.OnceFunc(r.turn.Unlock)
	defer unlock()
	for i, req := range [][]byte{
		query(2, bson.D{{Key: "isMaster", Value: 1}, {Key: "client", Value: bson.D{{Key: "application", Value: bson.D{{Key: "name", Value: "relay test"}}}}}}),
		msg(3, 0, bson.D{{Key: "hello", Value: 1}, {Key: "$db", Value: "admin"}}),
		msg(4, 0, bson.D{{Key: "ismaster", Value: 1}, {Key: "$db", Value: "admin"}}),
	} {
		want := int32(opMsg)
		if i == 0 {
			want = opReply
		}
		if doc := exchange(t, dial(t, r), req, want); !isPrimary(doc) {
			t.Fatalf("hello %d while the upstream is busy: %v", i, doc)
		}
	}
	// The driver too: new clients connect and handshake every pooled
	// connection while the upstream is held; their pings then wait for it.
	uri := "mongodb://" + r.addr() + "/"
	const clients = 6
	ready := make(chan struct{}, clients)
	pinged := make(chan error, clients)
	for range clients {
		c := connect(t, options.Client().ApplyURI(uri).SetPoolMonitor(&event.PoolMonitor{Event: func(e *event.PoolEvent) {
			if e.Type == event.ConnectionReady {
				select {
				case ready <- struct{}{}:
				default:
				}
			}
		}}))
		go func() { pinged <- c.Ping(context.Background(), nil) }()
	}
	timeout := time.After(10 * time.Second)
	for range clients {
		select {
		case <-ready:
		case <-timeout:
			t.Fatal("handshakes waited for the upstream")
		}
	}
	select {
	case err := <-pinged:
		t.Fatalf("a ping was answered without the upstream: %v", err)
	default:
	}
	unlock()
	for range clients {
		if err := <-pinged; err != nil {
			t.Fatal(err)
		}
	}
}

// A server that offers compression is never taken up on it through the
// relay: the relay could not see an OP_COMPRESSED reply's moreToCome.
func TestRelayKeepsCompressionOff(t *testing.T) {
	f := startFake(t, bson.D{{Key: "compression", Value: bson.A{"zlib"}}})
	r, err := newRelay(f.addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.close)
	c := connect(t, options.Client().ApplyURI("mongodb://"+r.addr()+"/?compressors=zlib"))
	for range 3 {
		if err := c.Ping(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"2004 isMaster", "2013 ping", "2013 ping", "2013 ping"}
	if got := f.requests(); !slices.Equal(got, want) {
		t.Fatalf("the server got %q, want %q", got, want)
	}
}

// Clients that hang up mid-message or before their reply, and a request
// that wants no reply, leave the upstream in step; an upstream that fails
// takes every client connection with it, and the relay goes on with a new
// one; close leaves no goroutine behind.
func TestRelaySurvivesClientsAndUpstreamFailing(t *testing.T) {
	f := startFake(t, nil)
	r, err := newRelay(f.addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.close)
	ping := func(id int32) []byte {
		return msg(id, 0, bson.D{{Key: "ping", Value: 1}, {Key: "$db", Value: "admin"}})
	}

	half := dial(t, r)
	if _, err := half.Write(ping(1)[:10]); err != nil {
		t.Fatal(err)
	}
	half.Close()
	gone := dial(t, r)
	if _, err := gone.Write(ping(2)); err != nil {
		t.Fatal(err)
	}
	gone.Close()
	f.waitFor(t, 1)
	quiet := dial(t, r)
	if _, err := quiet.Write(msg(3, moreToCome, bson.D{{Key: "insert", Value: "c"}, {Key: "$db", Value: "d"}})); err != nil {
		t.Fatal(err)
	}
	exchange(t, quiet, ping(4), opMsg)
	a, b := dial(t, r), dial(t, r)
	exchange(t, a, ping(5), opMsg)
	exchange(t, b, ping(6), opMsg)

	if _, err := a.Write(msg(7, 0, bson.D{{Key: "hangUp", Value: 1}, {Key: "$db", Value: "admin"}})); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]net.Conn{"the failing client": a, "an idle client": b, "the client of before": quiet} {
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		if _, err := readMessage(c); err == nil || isTimeout(err) {
			t.Errorf("%s: read %v, want its connection closed", name, err)
		}
	}
	exchange(t, dial(t, r), ping(8), opMsg)
	want := []string{"2013 ping", "2013 insert", "2013 ping", "2013 ping", "2013 ping", "2013 hangUp", "2013 ping"}
	if got := f.requests(); !slices.Equal(got, want) || f.dials() != 2 {
		t.Fatalf("the server got %q on %d connections, want %q on 2", got, f.dials(), want)
	}

	open := dial(t, r)
	exchange(t, open, ping(9), opMsg)
	stopped := make(chan struct{})
	go func() {
		r.close()
		close(stopped)
	}()
	select {
	case <-stopped:
	case <-time.After(10 * time.Second):
		t.Fatal("close is still waiting for the relay's goroutines")
	}
	r.mu.Lock()
	left := len(r.clients)
	r.mu.Unlock()
	if left != 0 {
		t.Fatalf("%d clients left after close", left)
	}
	open.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := readMessage(open); err == nil || isTimeout(err) {
		t.Fatalf("a client after close: read %v, want its connection closed", err)
	}
}

// A request read while another one broke the upstream goes with its
// connection: sent on a fresh upstream, it would be applied and nobody told.
func TestRelayDropsRequestsQueuedBehindAFailure(t *testing.T) {
	f := startFake(t, nil)
	r, err := newRelay(f.addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.close)
	ping := func(id int32) []byte {
		return msg(id, 0, bson.D{{Key: "ping", Value: 1}, {Key: "$db", Value: "admin"}})
	}
	queued := dial(t, r)
	r.turn.Lock() // another client's request is on the upstream
	unlock := sync.OnceFunc(r.turn.Unlock)
	defer unlock()
	if _, err := queued.Write(ping(1)); err != nil {
		t.Fatal(err)
	}
	// Time for the relay to read the ping and wait its turn; read or not,
	// it must not reach the server.
	time.Sleep(50 * time.Millisecond)
	r.mu.Lock()
	up := r.up
	r.mu.Unlock()
	r.fail(up) // as the request on the upstream finds it broken
	unlock()
	queued.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := readMessage(queued); err == nil || isTimeout(err) {
		t.Fatalf("the queued client: read %v, want its connection closed", err)
	}
	exchange(t, dial(t, r), ping(2), opMsg)
	if got, want := f.requests(), []string{"2013 ping"}; !slices.Equal(got, want) || f.dials() != 2 {
		t.Fatalf("the server got %q on %d connections, want %q on 2", got, f.dials(), want)
	}
}

func connect(t *testing.T, opts *options.ClientOptions) *driver.Client {
	t.Helper()
	c, err := driver.Connect(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		c.Disconnect(ctx)
	})
	return c
}

func dial(t *testing.T, r *relay) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", r.addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// exchange sends req and reads its reply, which must have opcode op and
// answer req.
func exchange(t *testing.T, c net.Conn, req []byte, op int32) bsoncore.Document {
	t.Helper()
	if _, err := c.Write(req); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	m, err := readMessage(c)
	if err != nil {
		t.Fatal(err)
	}
	if opCode(m) != op || responseTo(m) != requestID(req) {
		t.Fatalf("reply opcode %d to request %d, want opcode %d to request %d", opCode(m), responseTo(m), op, requestID(req))
	}
	doc, ok := replyDocument(m)
	if !ok {
		t.Fatalf("reply %x is no success", m)
	}
	return doc
}

func isPrimary(doc bsoncore.Document) bool {
	v, _ := doc.Lookup("ismaster").BooleanOK()
	return v
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// msg is an OP_MSG request carrying cmd.
func msg(id int32, flagBits uint32, cmd bson.D) []byte {
	body := binary.LittleEndian.AppendUint32(nil, flagBits)
	return message(id, opMsg, append(append(body, 0), marshal(cmd)...))
}

// query is the OP_QUERY the driver opens a connection with.
func query(id int32, cmd bson.D) []byte {
	body := binary.LittleEndian.AppendUint32(nil, 0)
	body = append(body, "admin.$cmd\x00"...)
	body = binary.LittleEndian.AppendUint32(body, 0)
	body = binary.LittleEndian.AppendUint32(body, uint32(0xffffffff)) // numberToReturn -1
	return message(id, opQuery, append(body, marshal(cmd)...))
}

func message(id, op int32, body []byte) []byte {
	m := binary.LittleEndian.AppendUint32(nil, uint32(headerLen+len(body)))
	m = binary.LittleEndian.AppendUint32(m, uint32(id))
	m = binary.LittleEndian.AppendUint32(m, 0)
	m = binary.LittleEndian.AppendUint32(m, uint32(op))
	return append(m, body...)
}

func marshal(d bson.D) []byte {
	b, err := bson.Marshal(d)
	if err != nil {
		panic(err)
	}
	return b
}

// fakeServer speaks just enough of the wire protocol for the driver: hello
// answers a minimal primary plus extra fields, any other command {ok: 1}. As
// FerretDB does, it answers requests that say moreToCome too. It hangs up
// on hangUp, and records each request's opcode and command.
type fakeServer struct {
	ln    net.Listener
	hello bsoncore.Document
	wg    sync.WaitGroup

	mu    sync.Mutex
	got   []string
	conns int
}

func startFake(t *testing.T, extra bson.D) *fakeServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hello := append(bson.D{
		{Key: "ismaster", Value: true}, {Key: "helloOk", Value: true},
		{Key: "maxBsonObjectSize", Value: 16 << 20}, {Key: "maxMessageSizeBytes", Value: maxMessage},
		{Key: "maxWriteBatchSize", Value: 100000}, {Key: "minWireVersion", Value: 0}, {Key: "maxWireVersion", Value: 21},
	}, extra...)
	f := &fakeServer{ln: ln, hello: marshal(append(hello, bson.E{Key: "ok", Value: 1.0}))}
	f.wg.Go(f.accept)
	// Registered before the relay's cleanup, so it runs after the relay
	// has closed its upstream connections.
	t.Cleanup(func() {
		ln.Close()
		f.wg.Wait()
	})
	return f
}

func (f *fakeServer) addr() string { return f.ln.Addr().String() }

func (f *fakeServer) accept() {
	for {
		c, err := f.ln.Accept()
		if err != nil {
			return
		}
		f.mu.Lock()
		f.conns++
		f.mu.Unlock()
		f.wg.Go(func() { f.serve(c) })
	}
}

func (f *fakeServer) serve(c net.Conn) {
	defer c.Close()
	ok := bsoncore.Document(marshal(bson.D{{Key: "ok", Value: 1.0}}))
	for {
		req, err := readMessage(c)
		if err != nil {
			return
		}
		name := ""
		if cmd, ok := commandDocument(req); ok {
			if e, err := cmd.IndexErr(0); err == nil {
				name = e.Key()
			}
		}
		f.mu.Lock()
		f.got = append(f.got, fmt.Sprintf("%d %s", opCode(req), name))
		f.mu.Unlock()
		reply := replyTo(req, ok)
		switch {
		case name == "hangUp":
			return
		case isHello(req):
			reply = replyTo(req, f.hello)
		}
		if _, err := c.Write(reply); err != nil {
			return
		}
	}
}

func (f *fakeServer) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.got)
}

// waitFor waits until the server has had n requests.
func (f *fakeServer) waitFor(t *testing.T, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); len(f.requests()) < n; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the server got %q, waiting for %d requests", f.requests(), n)
		}
	}
}

func (f *fakeServer) dials() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.conns
}
