// Package web is Sprout's HTTP layer: the Fiber app, its middleware, and
// the handlers of every area, JSON API and HTML pages side by side.
//
// Files are named by area, then by kind, so that an area's routes,
// handlers, view models and tests are found by its name:
//
//	<area>_api.go        the area's JSON API under /api/v1, its routes first
//	<area>_pages.go      the area's HTML pages, their routes first, and the
//	                     view models their templates read
//	<area>_export.go     the area's CSV and XLSX downloads
//	<area>_*_test.go     the area's tests, through the kit in kit_test.go
//
// The areas: accounts (sign-up, sign-in, the account page) and admin;
// events (public events, registration, tickets) and manage (the
// organizer's events, ticket types, registrations); checkin (the gate's
// API), gate, scans (the scan log), staffing (gates and their staff) and
// dashboard (live counts); programs (calls and applications), review,
// selection (ranking and decisions), cohorts and incubator (their API);
// expo (booths and exhibitors for organizers), floor (the floor plan),
// exhibitor (applying, profile, booth staff) and leads (the booth's
// scanner and lead list).
//
// What every area shares stands once: server.go builds the app and lists
// the areas' routes, bodylimit.go bounds each route's request body,
// middleware.go signs people in, keeps CSRF and cookies and counts the
// rate limits, errors.go turns the one error vocabulary into the contract's
// JSON body or an error page, render.go renders pages and flashes, and
// json.go reads request bodies.
package web
