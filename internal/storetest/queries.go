package storetest

import (
	"encoding/binary"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/x/bsonx/bsoncore"
)

// Queries records, per collection, the fields each filter a store sends
// names, so a test can check that an index serves every one of them.
type Queries struct {
	mu   sync.Mutex
	seen map[string]Query
}

// Query is one shape of filter: the collection, the command, and the
// fields it matches on, sorted.
type Query struct {
	Collection string
	Command    string
	Fields     []string
}

func (q Query) String() string {
	return fmt.Sprintf("%s %s {%s}", q.Collection, q.Command, strings.Join(q.Fields, ", "))
}

// FerretDBRecording is FerretDBURI with every filter sent through the relay
// recorded in q, and a second URI to the same database that records
// nothing, for what a test writes behind the store's back.
func FerretDBRecording(t testing.TB, q *Queries) (recorded, plain string) {
	t.Helper()
	addr := startFerretDB(t)
	db := TestDatabase()
	for _, uri := range []*string{&recorded, &plain} {
		r, err := newRelay(addr)
		if err != nil {
			t.Fatal(err)
		}
		if uri == &recorded {
			r.queries = q
		}
		t.Cleanup(r.close)
		*uri = WithDatabase(t, "mongodb://"+r.addr()+"/", db, nil)
	}
	return recorded, plain
}

// All lists the shapes recorded, in a stable order.
func (q *Queries) All() []Query {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make([]Query, 0, len(q.seen))
	for _, v := range q.seen {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

func (q *Queries) add(coll, cmd string, filter bsoncore.Document) {
	for _, fields := range filterFields(filter) {
		if len(fields) == 0 {
			continue
		}
		sort.Strings(fields)
		qq := Query{Collection: coll, Command: cmd, Fields: slices.Compact(fields)}
		q.mu.Lock()
		if q.seen == nil {
			q.seen = map[string]Query{}
		}
		q.seen[qq.String()] = qq
		q.mu.Unlock()
	}
}

// record notes the filters of a request.
func (q *Queries) record(req []byte) {
	doc, ok := commandDocument(req)
	if !ok {
		return
	}
	first, err := doc.IndexErr(0)
	if err != nil {
		return
	}
	cmd := first.Key()
	coll, ok := first.Value().StringValueOK()
	if !ok || strings.HasPrefix(coll, "fs.") {
		// GridFS's collections are the driver's, indexed by it.
		return
	}
	switch cmd {
	case "find", "count", "distinct", "findAndModify", "findandmodify":
		for _, key := range []string{"filter", "query"} {
			if f, ok := doc.Lookup(key).DocumentOK(); ok {
				q.add(coll, cmd, f)
			}
		}
	case "aggregate":
		stages, _ := doc.Lookup("pipeline").ArrayOK()
		vals, _ := stages.Values()
		if len(vals) > 0 {
			if stage, ok := vals[0].DocumentOK(); ok {
				if m, ok := stage.Lookup("$match").DocumentOK(); ok {
					q.add(coll, cmd, m)
				}
			}
		}
	case "update", "delete":
		list := "updates"
		if cmd == "delete" {
			list = "deletes"
		}
		for _, s := range statements(req, doc, list) {
			if f, ok := s.Lookup("q").DocumentOK(); ok {
				q.add(coll, cmd, f)
			}
		}
	}
}

// statements are the documents of an update's or delete's list, in the
// command's body or in a document sequence beside it.
func statements(req []byte, body bsoncore.Document, name string) []bsoncore.Document {
	var out []bsoncore.Document
	if arr, ok := body.Lookup(name).ArrayOK(); ok {
		vals, _ := arr.Values()
		for _, v := range vals {
			if d, ok := v.DocumentOK(); ok {
				out = append(out, d)
			}
		}
		return out
	}
	if opCode(req) != opMsg {
		return nil
	}
	sections := req[headerLen+4:]
	if flags(req)&checksumPresent != 0 && len(sections) >= 4 {
		sections = sections[:len(sections)-4]
	}
	for len(sections) > 0 {
		switch sections[0] {
		case 0:
			_, rest, ok := bsoncore.ReadDocument(sections[1:])
			if !ok {
				return out
			}
			sections = rest
		case 1:
			if len(sections) < 5 {
				return out
			}
			size := int(int32(binary.LittleEndian.Uint32(sections[1:])))
			if size < 4 || size+1 > len(sections) {
				return out
			}
			seq := sections[5 : 1+size]
			id, seq, ok := cstring(seq)
			for ok && len(seq) > 0 {
				var d bsoncore.Document
				d, seq, ok = bsoncore.ReadDocument(seq)
				if ok && id == name {
					out = append(out, d)
				}
			}
			sections = sections[1+size:]
		default:
			return out
		}
	}
	return out
}

func cstring(b []byte) (string, []byte, bool) {
	for i, c := range b {
		if c == 0 {
			return string(b[:i]), b[i+1:], true
		}
	}
	return "", nil, false
}

// filterFields are the fields a filter matches on; each branch of an $or is
// a filter of its own, with the fields around it.
func filterFields(filter bsoncore.Document) [][]string {
	elems, err := filter.Elements()
	if err != nil {
		return nil
	}
	var fields []string
	var branches [][]string
	for _, e := range elems {
		switch k := e.Key(); k {
		case "$or":
			arr, _ := e.Value().ArrayOK()
			vals, _ := arr.Values()
			for _, v := range vals {
				if d, ok := v.DocumentOK(); ok {
					branches = append(branches, filterFields(d)...)
				}
			}
		case "$and":
			arr, _ := e.Value().ArrayOK()
			vals, _ := arr.Values()
			for _, v := range vals {
				if d, ok := v.DocumentOK(); ok {
					for _, f := range filterFields(d) {
						fields = append(fields, f...)
					}
				}
			}
		default:
			if !strings.HasPrefix(k, "$") {
				fields = append(fields, k)
			}
		}
	}
	if len(branches) == 0 {
		return [][]string{fields}
	}
	for i := range branches {
		branches[i] = append(branches[i], fields...)
	}
	return branches
}

// Unserved lists the shapes recorded that no index serves: none of the
// collection's indexes (given by their keys, first key first) starts with
// a field the filter names. The _id index serves any filter on _id.
func (q *Queries) Unserved(indexes map[string][]bson.D) []Query {
	var out []Query
	for _, qq := range q.All() {
		if slices.Contains(qq.Fields, "_id") {
			continue
		}
		served := false
		for _, keys := range indexes[qq.Collection] {
			if len(keys) > 0 && slices.Contains(qq.Fields, keys[0].Key) {
				served = true
				break
			}
		}
		if !served {
			out = append(out, qq)
		}
	}
	return out
}
