package mongo

import (
	"context"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	driver "go.mongodb.org/mongo-driver/v2/mongo"

	"sprout/internal/audit"
)

var _ audit.Store = (*Store)(nil)

func (s *Store) auditLog() *driver.Collection { return s.db.Collection("audit_log") }

type auditDoc struct {
	ID         string        `bson:"_id"`
	At         bson.DateTime `bson:"at"`
	ActorID    string        `bson:"actor_id"`
	ActorName  string        `bson:"actor_name"`
	ActorEmail string        `bson:"actor_email"`
	ActorRoles []string      `bson:"actor_roles"`
	Action     string        `bson:"action"`
	Method     string        `bson:"method"`
	Path       string        `bson:"path"`
	TargetKind string        `bson:"target_kind"`
	TargetID   string        `bson:"target_id"`
	EventID    string        `bson:"event_id"`
	Detail     string        `bson:"detail"`
	Status     int           `bson:"status"`
	IP         string        `bson:"ip"`
}

func newAuditDoc(e audit.Entry) auditDoc {
	return auditDoc{ID: e.ID, At: date(e.At), ActorID: e.ActorID, ActorName: e.ActorName, ActorEmail: e.ActorEmail,
		ActorRoles: append([]string{}, e.ActorRoles...), Action: e.Action, Method: e.Method, Path: e.Path,
		TargetKind: e.TargetKind, TargetID: e.TargetID, EventID: e.EventID, Detail: e.Detail, Status: e.Status, IP: e.IP}
}

func (d auditDoc) entry() audit.Entry {
	e := audit.Entry{ID: d.ID, At: fromDate(d.At), ActorID: d.ActorID, ActorName: d.ActorName, ActorEmail: d.ActorEmail,
		Action: d.Action, Method: d.Method, Path: d.Path, TargetKind: d.TargetKind, TargetID: d.TargetID,
		EventID: d.EventID, Detail: d.Detail, Status: d.Status, IP: d.IP}
	if len(d.ActorRoles) > 0 {
		e.ActorRoles = d.ActorRoles
	}
	return e
}

func (s *Store) AppendAudit(ctx context.Context, e audit.Entry) error {
	_, err := s.auditLog().InsertOne(ctx, newAuditDoc(e))
	return translate(err)
}

func (s *Store) Audit(ctx context.Context, q audit.Query) ([]audit.Entry, int, error) {
	filter := bson.D{}
	if q.ActorID != "" {
		filter = append(filter, bson.E{Key: "actor_id", Value: q.ActorID})
	}
	switch {
	case strings.Contains(q.Action, "."):
		filter = append(filter, bson.E{Key: "action", Value: q.Action})
	case q.Action != "":
		// An area: its actions sort between "area." and "area/".
		filter = append(filter, bson.E{Key: "action", Value: bson.D{{Key: "$gte", Value: q.Action + "."}, {Key: "$lt", Value: q.Action + "/"}}})
	}
	if q.EventID != "" {
		filter = append(filter, bson.E{Key: "event_id", Value: q.EventID})
	}
	if at := auditTimes(q); len(at) > 0 {
		filter = append(filter, bson.E{Key: "at", Value: at})
	}
	docs, total, err := sortedPage[auditDoc](ctx, s.auditLog(), filter, bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: -1}}, q.Offset, q.Limit)
	if err != nil {
		return nil, 0, err
	}
	return convert(docs, auditDoc.entry), total, nil
}

func auditTimes(q audit.Query) bson.D {
	var r bson.D
	if !q.From.IsZero() {
		r = append(r, bson.E{Key: "$gte", Value: date(q.From)})
	}
	if !q.To.IsZero() {
		r = append(r, bson.E{Key: "$lt", Value: date(q.To)})
	}
	return r
}
