// Package services names Sprout's services once: the app builds them, the
// web layer serves them, so adding a service is one edit here.
package services

import (
	"sprout/internal/accounts"
	"sprout/internal/audit"
	"sprout/internal/certification"
	"sprout/internal/certs"
	"sprout/internal/checkin"
	"sprout/internal/clock"
	"sprout/internal/events"
	"sprout/internal/expo"
	"sprout/internal/graduation"
	"sprout/internal/impact"
	"sprout/internal/incubator"
	"sprout/internal/keys"
	"sprout/internal/mail"
	"sprout/internal/staffing"
	"sprout/internal/tickets"
	"sprout/internal/training"
	"sprout/internal/workdays"
)

// Services are Sprout's services, wired to one store and one clock.
type Services struct {
	Accounts *accounts.Service
	Events   *events.Service
	Tickets  *tickets.Service
	Checkin  *checkin.Service
	// Training records courses' attendance per session.
	Training *training.Service
	// Incubator runs programmes, applications and reviews.
	Incubator *incubator.Service
	Staffing  *staffing.Service
	// Expo runs floor plans, exhibitors and their leads.
	Expo   *expo.Service
	Keys   *keys.Ring
	Outbox *mail.Outbox
	// Certs issues and revokes certificates.
	Certs *certs.Service
	// Graduation issues courses' certificates to those who completed them.
	Graduation *graduation.Service
	// Impact counts the public figures.
	Impact *impact.Service
	// Audit keeps who changed what and when.
	Audit *audit.Service
	// Workdays keeps the holiday list that procedure deadlines count
	// working days with.
	Workdays *workdays.Service
	// Certification runs the procedure certifying science-and-technology
	// enterprises.
	Certification *certification.Service
	// Clock is the one clock every service and the web layer read.
	Clock clock.Clock
}
