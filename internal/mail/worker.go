package mail

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"time"

	"sprout/internal/clock"
	"sprout/internal/errs"
	"sprout/internal/ids"
)

// Defaults of a Worker whose fields are left zero.
const (
	DefaultPoll        = time.Second
	DefaultLease       = 2 * time.Minute
	DefaultMaxAttempts = 8
)

// Sender delivers one message, giving up by ctx's deadline.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// ErrPermanent marks a send error that retrying cannot fix, such as a
// recipient the server refuses; the message fails without further attempts.
var ErrPermanent = errors.New("mail: permanent delivery failure")

// ErrNotReady marks a message whose Filler cannot fill it yet, such as the
// mail of a ticket still being registered: it is tried again later.
var ErrNotReady = errors.New("mail: not ready to be sent")

// Worker sends the outbox. Any number of workers, in one process or many,
// may share a store: each message is claimed atomically before it is sent.
type Worker struct {
	Store  Store
	Sender Sender
	// Templates render each message just before it is sent.
	Templates *Templates
	// Wake, usually Outbox.Notify(), ends an idle wait at once.
	Wake <-chan struct{}
	Log  *slog.Logger
	// Poll is the idle wait between looks at the store.
	Poll time.Duration
	// Lease is how long a claimed message is held before another worker may
	// take it over; an attempt is cut off at half of it, so it ends in time.
	Lease       time.Duration
	MaxAttempts int
	// Backoff is the wait after the given failed attempt; RetryDelay if nil.
	Backoff func(attempt int) time.Duration
	Clock   clock.Clock
}

// RetryDelay waits 30 s after the first failed attempt, doubling each time
// up to an hour, less up to 10% so workers retrying together spread out.
func RetryDelay(attempt int) time.Duration {
	const base, ceiling = 30 * time.Second, time.Hour
	d := ceiling
	if attempt < 12 {
		d = min(base<<max(attempt-1, 0), ceiling)
	}
	return d - rand.N(d/10+1)
}

// Run sends due messages until ctx ends. A message being sent when ctx ends
// is finished first, so shutdown does not leave it held until its lease runs
// out.
func (w *Worker) Run(ctx context.Context) {
	poll := w.Poll
	if poll <= 0 {
		poll = DefaultPoll
	}
	timer := time.NewTimer(poll)
	defer timer.Stop()
	for {
		for w.sendNext(ctx) {
		}
		timer.Reset(poll)
		select {
		case <-ctx.Done():
			return
		case <-w.Wake:
		case <-timer.C:
		}
	}
}

// sendNext makes one attempt at the oldest due message and tells whether
// there was one.
func (w *Worker) sendNext(ctx context.Context) bool {
	if ctx.Err() != nil {
		return false
	}
	lease := w.Lease
	if lease <= 0 {
		lease = DefaultLease
	}
	log := w.Log
	if log == nil {
		log = slog.Default()
	}
	claim := ids.New()
	m, err := w.Store.ClaimMail(ctx, w.Clock.Now(), lease, claim)
	if errors.Is(err, errs.ErrNotFound) {
		return false
	}
	if err != nil {
		if ctx.Err() == nil {
			log.Error("mail: claim", "err", err)
		}
		return false
	}
	log = log.With("mail", m.ID, "template", m.Template, "attempt", m.Attempts)
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), lease/2)
	defer cancel()

	m, sendErr := w.Templates.RenderMessage(actx, m)
	if sendErr == nil {
		sendErr = w.Sender.Send(actx, m)
	}
	switch {
	case sendErr == nil:
		err = w.Store.MarkMailSent(actx, m.ID, claim, w.Clock.Now())
		if err == nil {
			log.Info("mail: sent")
		}
	case errors.Is(sendErr, ErrPermanent) || m.Attempts >= w.maxAttempts():
		err = w.Store.MarkMailFailed(actx, m.ID, claim, sendErr.Error())
		if err == nil {
			log.Error("mail: failed, giving up", "err", sendErr)
		}
	default:
		backoff := w.Backoff
		if backoff == nil {
			backoff = RetryDelay
		}
		next := w.Clock.Now().Add(backoff(m.Attempts))
		err = w.Store.MarkMailRetry(actx, m.ID, claim, next, sendErr.Error())
		if err == nil {
			log.Warn("mail: send failed, will retry", "err", sendErr, "next", next)
		}
	}
	if err != nil {
		// Conflict: the lease ran out and another worker holds the message.
		log.Error("mail: recording the attempt", "err", err, "send_err", sendErr)
	}
	return true
}

func (w *Worker) maxAttempts() int {
	if w.MaxAttempts > 0 {
		return w.MaxAttempts
	}
	return DefaultMaxAttempts
}
