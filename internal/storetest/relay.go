package storetest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/x/bsonx/bsoncore"
)

// Wire protocol opcodes the relay reads or writes.
const (
	opReply = 1
	opQuery = 2004
	opMsg   = 2013
)

// OP_MSG flag bits.
const (
	checksumPresent = 1 << 0
	moreToCome      = 1 << 1
)

const (
	headerLen = 16
	// maxMessage is FerretDB's maxMessageSizeBytes: no client may send more.
	maxMessage = 48_000_000
)

var (
	errRelayClosed = errors.New("relay: closed")
	// errDropped refuses a request from a client connection that an upstream
	// failure closed after the request was read: running it on a fresh
	// upstream would apply an operation whose answer nobody gets.
	errDropped = errors.New("relay: connection closed by an upstream failure")
)

// relay lets many client connections share one upstream connection to a
// MongoDB wire server, one request and its replies at a time. FerretDB
// applies an update as a read then a write; run one at a time, each
// single-document operation is atomic, as on a MongoDB primary, while the
// driver keeps its normal pool and the operations of many connections
// interleave.
type relay struct {
	ln       net.Listener
	upstream string // address, dialled again after a failure

	// hello is the first hello reply's document: later hellos are answered
	// from it without the upstream, or the driver's monitoring and
	// handshakes would queue behind operations.
	hello atomic.Pointer[bsoncore.Document]

	// turn is held for one request and its replies on up.
	turn sync.Mutex

	// faults, when set, may refuse requests as a crashed process would;
	// queries, when set, records the filters requests carry.
	faults  *crash
	queries *Queries

	mu      sync.Mutex // guards the fields below
	up      net.Conn   // nil until dialled again after a failure
	clients map[net.Conn]struct{}
	closed  bool

	wg sync.WaitGroup // the accept loop and one goroutine per client
}

// newRelay dials upstream and listens on 127.0.0.1; close stops it.
func newRelay(upstream string) (*relay, error) {
	up, err := net.DialTimeout("tcp", upstream, 10*time.Second)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		up.Close()
		return nil, err
	}
	r := &relay{ln: ln, upstream: upstream, up: up, clients: map[net.Conn]struct{}{}}
	r.wg.Add(1)
	go r.accept()
	return r, nil
}

func (r *relay) addr() string { return r.ln.Addr().String() }

// close stops the relay and waits for its goroutines.
func (r *relay) close() {
	r.shutdown()
	r.wg.Wait()
}

// shutdown closes the listener, every connection and the upstream; the
// goroutines blocked on them then return.
func (r *relay) shutdown() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return
	}
	r.closed = true
	r.ln.Close()
	if r.up != nil {
		r.up.Close()
	}
	for c := range r.clients {
		c.Close()
	}
}

func (r *relay) accept() {
	defer r.wg.Done()
	for {
		conn, err := r.ln.Accept()
		if err != nil {
			// Closed, or broken: either way no client could connect again.
			r.shutdown()
			return
		}
		r.mu.Lock()
		if r.closed {
			r.mu.Unlock()
			conn.Close()
			return
		}
		r.clients[conn] = struct{}{}
		r.wg.Add(1)
		r.mu.Unlock()
		go r.serve(conn)
	}
}

func (r *relay) serve(c net.Conn) {
	defer r.wg.Done()
	defer func() {
		r.mu.Lock()
		delete(r.clients, c)
		r.mu.Unlock()
		c.Close()
	}()
	for {
		req, err := readMessage(c)
		if err != nil {
			return
		}
		replies, err := r.answer(c, req)
		if err != nil {
			return
		}
		bufs := net.Buffers(replies)
		if _, err := bufs.WriteTo(c); err != nil {
			return
		}
	}
}

// answer returns the replies to one request: none when it says moreToCome.
func (r *relay) answer(c net.Conn, req []byte) ([][]byte, error) {
	hello := isHello(req)
	if doc := r.hello.Load(); hello && doc != nil {
		return [][]byte{replyTo(req, *doc)}, nil
	}
	r.turn.Lock()
	defer r.turn.Unlock()
	// Another client's hello may have filled the cache while this one
	// waited; a second hello upstream would resend client metadata, which
	// the server refuses on a connection that has had it.
	if doc := r.hello.Load(); hello && doc != nil {
		return [][]byte{replyTo(req, *doc)}, nil
	}
	if r.queries != nil {
		r.queries.record(req)
	}
	if r.faults != nil && !r.faults.admit(req) {
		if flags(req)&moreToCome != 0 {
			return nil, nil
		}
		return [][]byte{replyTo(req, crashed)}, nil
	}
	replies, err := r.forward(c, req)
	if err != nil || !hello || len(replies) == 0 {
		return replies, err
	}
	doc, ok := replyDocument(replies[0])
	if !ok {
		return replies, nil
	}
	doc = withoutNegotiation(doc)
	r.hello.Store(&doc)
	return [][]byte{replyTo(req, doc)}, nil
}

// forward writes req upstream and reads its replies; the caller holds turn.
func (r *relay) forward(c net.Conn, req []byte) ([][]byte, error) {
	up, err := r.upstreamFor(c)
	if err != nil {
		return nil, err
	}
	if _, err := up.Write(req); err != nil {
		r.fail(up)
		return nil, err
	}
	if flags(req)&moreToCome != 0 {
		return nil, nil
	}
	id := requestID(req)
	var replies [][]byte
	for {
		m, err := readMessage(up)
		if err != nil {
			r.fail(up)
			return nil, err
		}
		// FerretDB answers even requests that said moreToCome; such an
		// answer waits here, ahead of this request's, and goes nowhere.
		if len(replies) == 0 && responseTo(m) != id {
			continue
		}
		replies = append(replies, m)
		if flags(m)&moreToCome == 0 {
			return replies, nil
		}
	}
}

// upstreamFor returns the upstream connection for c's request, dialling a
// new one after a failure; the caller holds turn.
func (r *relay) upstreamFor(c net.Conn) (net.Conn, error) {
	r.mu.Lock()
	_, live := r.clients[c]
	closed, up := r.closed, r.up
	r.mu.Unlock()
	switch {
	case closed:
		return nil, errRelayClosed
	case !live:
		return nil, errDropped
	case up != nil:
		return up, nil
	}
	up, err := net.DialTimeout("tcp", r.upstream, 10*time.Second)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		up.Close()
		return nil, errRelayClosed
	}
	r.up = up
	return up, nil
}

// fail drops a broken upstream and every client connection: their cursors
// lived on it, as if the server had restarted. The next request dials anew.
func (r *relay) fail(up net.Conn) {
	up.Close()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.up != up {
		return
	}
	r.up = nil
	for c := range r.clients {
		c.Close()
		delete(r.clients, c)
	}
}

// readMessage reads one length-prefixed wire message whole.
func readMessage(rd io.Reader) ([]byte, error) {
	var size [4]byte
	if _, err := io.ReadFull(rd, size[:]); err != nil {
		return nil, err
	}
	n := int32(binary.LittleEndian.Uint32(size[:]))
	if n < headerLen || n > maxMessage {
		return nil, fmt.Errorf("relay: message of %d bytes", n)
	}
	m := make([]byte, n)
	copy(m, size[:])
	if _, err := io.ReadFull(rd, m[4:]); err != nil {
		return nil, err
	}
	return m, nil
}

func requestID(m []byte) int32  { return int32(binary.LittleEndian.Uint32(m[4:])) }
func responseTo(m []byte) int32 { return int32(binary.LittleEndian.Uint32(m[8:])) }
func opCode(m []byte) int32     { return int32(binary.LittleEndian.Uint32(m[12:])) }

// flags are an OP_MSG's flagBits, and none for other opcodes.
func flags(m []byte) uint32 {
	if opCode(m) != opMsg || len(m) < headerLen+4 {
		return 0
	}
	return binary.LittleEndian.Uint32(m[headerLen:])
}

// isHello tells whether m runs hello or its legacy names, as OP_MSG or as
// the OP_QUERY the driver opens each connection with.
func isHello(m []byte) bool {
	doc, ok := commandDocument(m)
	if !ok {
		return false
	}
	e, err := doc.IndexErr(0)
	if err != nil {
		return false
	}
	switch e.Key() {
	case "hello", "isMaster", "ismaster":
		return true
	}
	return false
}

// commandDocument is the command a request carries.
func commandDocument(m []byte) (bsoncore.Document, bool) {
	switch opCode(m) {
	case opMsg:
		return msgBody(m)
	case opQuery:
		// flags, collection name, numberToSkip, numberToReturn, query.
		rest := m[headerLen:]
		if len(rest) < 4 {
			return nil, false
		}
		name, rest, ok := bytes.Cut(rest[4:], []byte{0})
		if !ok || !bytes.HasSuffix(name, []byte(".$cmd")) || len(rest) < 8 {
			return nil, false
		}
		doc, _, ok := bsoncore.ReadDocument(rest[8:])
		if !ok {
			return nil, false
		}
		if q, ok := doc.Lookup("$query").DocumentOK(); ok {
			return q, true
		}
		return doc, true
	}
	return nil, false
}

// msgBody is an OP_MSG's kind 0 section.
func msgBody(m []byte) (bsoncore.Document, bool) {
	if len(m) < headerLen+4 {
		return nil, false
	}
	sections := m[headerLen+4:]
	if flags(m)&checksumPresent != 0 {
		if len(sections) < 4 {
			return nil, false
		}
		sections = sections[:len(sections)-4]
	}
	for len(sections) > 0 {
		switch sections[0] {
		case 0:
			doc, _, ok := bsoncore.ReadDocument(sections[1:])
			return doc, ok
		case 1:
			if len(sections) < 5 {
				return nil, false
			}
			size := int(int32(binary.LittleEndian.Uint32(sections[1:])))
			if size < 4 || size+1 > len(sections) {
				return nil, false
			}
			sections = sections[1+size:]
		default:
			return nil, false
		}
	}
	return nil, false
}

// replyDocument is the document of a successful OP_REPLY or OP_MSG reply.
func replyDocument(m []byte) (bsoncore.Document, bool) {
	var doc bsoncore.Document
	var ok bool
	switch opCode(m) {
	case opMsg:
		doc, ok = msgBody(m)
	case opReply:
		// responseFlags, cursorID, startingFrom, numberReturned, documents.
		if len(m) < headerLen+20 {
			return nil, false
		}
		doc, _, ok = bsoncore.ReadDocument(m[headerLen+20:])
	}
	if !ok || doc.Validate() != nil {
		return nil, false
	}
	if v, isNum := doc.Lookup("ok").AsFloat64OK(); !isNum || v != 1 {
		return nil, false
	}
	return doc, true
}

// withoutNegotiation drops what would make the driver speak differently
// through the relay: compression would hide OP_MSG flags (moreToCome) from
// it, and a topologyVersion would make the driver's monitor send awaitable
// hellos, which the cache answers at once, over and over.
func withoutNegotiation(doc bsoncore.Document) bsoncore.Document {
	elems, _ := doc.Elements()
	var keep [][]byte
	for _, e := range elems {
		if k := e.Key(); k != "compression" && k != "topologyVersion" {
			keep = append(keep, []byte(e))
		}
	}
	return bsoncore.BuildDocument(nil, keep...)
}

// replyTo wraps doc as the reply to req, in the shape its opcode takes.
func replyTo(req []byte, doc bsoncore.Document) []byte {
	op, head := int32(opMsg), []byte{0, 0, 0, 0, 0} // flagBits, section kind 0
	if opCode(req) == opQuery {
		// responseFlags, cursorID, startingFrom, numberReturned = 1.
		op, head = opReply, make([]byte, 20)
		binary.LittleEndian.PutUint32(head[16:], 1)
	}
	m := make([]byte, headerLen, headerLen+len(head)+len(doc))
	m = append(append(m, head...), doc...)
	binary.LittleEndian.PutUint32(m[0:], uint32(len(m)))
	binary.LittleEndian.PutUint32(m[8:], uint32(requestID(req)))
	binary.LittleEndian.PutUint32(m[12:], uint32(op))
	return m
}
