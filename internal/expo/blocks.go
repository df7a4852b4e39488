package expo

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"sprout/internal/accounts"
	"sprout/internal/errs"
	"sprout/internal/ids"
)

// MaxBlock is the most booths one block may lay out: a Techfest hall holds
// a few hundred, so more is a typing slip, not a plan.
const MaxBlock = 1000

// BlockInput is a rectangular block of equal booths as an organizer lays
// it out: Rows by Cols booths of W by H from (X, Y), numbered from First
// row by row, left to right, with an aisle of AisleWidth after every
// AisleEvery rows (0: no aisles).
type BlockInput struct {
	Hall, Zone, SizeClass, Prefix string
	First, Rows, Cols, W, H, X, Y int
	AisleEvery, AisleWidth        int
	Price                         int64
}

// Layout checks a block and draws its booths in order, first to last.
func (in BlockInput) Layout() ([]BoothInput, error) {
	switch {
	case in.Rows < 1 || in.Rows > MaxBlock:
		return nil, errs.Field("rows", "error.block_dim_invalid")
	case in.Cols < 1 || in.Cols > MaxBlock:
		return nil, errs.Field("cols", "error.block_dim_invalid")
	case in.Rows*in.Cols > MaxBlock:
		return nil, &errs.Error{Kind: errs.Invalid, MsgID: "error.block_too_many", Field: "cols",
			Data: map[string]any{"Max": MaxBlock, "Count": in.Rows * in.Cols}}
	case in.First < 0 || in.First > maxFirst:
		return nil, errs.Field("first", "error.block_first_invalid")
	case in.AisleEvery < 0 || in.AisleEvery > MaxBlock:
		return nil, errs.Field("aisle_every", "error.block_aisle_invalid")
	case in.AisleWidth < 0 || in.AisleWidth > maxGrid:
		return nil, errs.Field("aisle_width", "error.block_aisle_invalid")
	}
	n := in.Rows * in.Cols
	digits := len(strconv.Itoa(in.First + n - 1))
	prefix := strings.TrimSpace(in.Prefix)
	if !utf8.ValidString(prefix) || utf8.RuneCountInString(prefix)+digits > maxCode {
		return nil, &errs.Error{Kind: errs.Invalid, MsgID: "error.block_prefix_invalid", Field: "prefix",
			Data: map[string]any{"Max": maxCode - digits}}
	}
	out := make([]BoothInput, 0, n)
	for r := range in.Rows {
		y := in.Y + r*in.H
		if in.AisleEvery > 0 {
			y += r / in.AisleEvery * in.AisleWidth
		}
		for c := range in.Cols {
			// The first booth's check bounds W, H, X and Y, so the
			// positions after it cannot overflow.
			b, err := BoothInput{Code: fmt.Sprintf("%s%0*d", prefix, digits, in.First+len(out)), Hall: in.Hall,
				Zone: in.Zone, SizeClass: in.SizeClass, X: in.X + c*in.W, Y: y, W: in.W, H: in.H, Price: in.Price}.check()
			if err != nil {
				return nil, offGrid(err, len(out) > 0)
			}
			out = append(out, b)
		}
	}
	return out, nil
}

// maxFirst keeps the numbers short enough to leave room for a prefix.
const maxFirst = 1_000_000

// offGrid tells a block that runs off the grid from one whose booth size is
// wrong: only a booth after the first can leave the grid on its own.
func offGrid(err error, later bool) error {
	if e, ok := errs.As(err); ok && later && e.MsgID == "error.booth_size_invalid" {
		return &errs.Error{Kind: errs.Invalid, MsgID: "error.block_off_grid", Field: "x", Data: map[string]any{"Max": maxGrid}}
	}
	return err
}

// BatchRefusal is why a store refuses to add batch, booths of one event,
// beside existing, the event's booths: a code taken in the event or twice
// in the batch, then a rectangle over another of its hall, whether that one
// is stored or in the batch. Both adapters run it under their lock.
func BatchRefusal(existing, batch []Booth) error {
	codes := make(map[string]bool, len(existing)+len(batch))
	halls := map[string][]Booth{}
	for _, b := range existing {
		codes[b.Code] = true
		halls[b.Hall] = append(halls[b.Hall], b)
	}
	for _, b := range batch {
		if b.EventID != batch[0].EventID {
			return errs.Wrapf(errs.Internal, "booth batch spans events %s and %s", batch[0].EventID, b.EventID)
		}
		if codes[b.Code] {
			return errs.New(errs.Conflict, "error.booth_code_taken")
		}
		codes[b.Code] = true
	}
	for _, b := range batch {
		for _, o := range halls[b.Hall] {
			if b.Overlaps(o) {
				return errs.New(errs.Conflict, "error.booth_overlap")
			}
		}
		halls[b.Hall] = append(halls[b.Hall], b)
	}
	return nil
}

// CreateBlock adds a whole block of available booths to an event's floor
// plan at once: all of them, or none when one is refused.
func (s *Service) CreateBlock(ctx context.Context, by accounts.User, eventID string, in BlockInput) ([]Booth, error) {
	drawn, err := in.Layout()
	if err != nil {
		return nil, err
	}
	if _, err := s.events.EventByID(ctx, eventID); err != nil {
		return nil, err
	}
	now := s.now()
	booths := make([]Booth, len(drawn))
	for i, d := range drawn {
		booths[i] = Booth{ID: ids.New(), EventID: eventID, Code: d.Code, Hall: d.Hall, Zone: d.Zone, X: d.X, Y: d.Y,
			W: d.W, H: d.H, SizeClass: d.SizeClass, Price: d.Price, Status: Available, CreatedAt: now}
	}
	if err := s.store.CreateBooths(ctx, booths); err != nil {
		return nil, blockConflict(err)
	}
	ctx, cancel := finishing(ctx)
	defer cancel()
	for _, b := range booths {
		if err := s.record(ctx, by, b, ActionCreated, ""); err != nil {
			return nil, err
		}
	}
	return booths, nil
}

// blockConflict words a store's refusal for a block and names the field to
// change: the numbering for a code taken, the position for an overlap.
func blockConflict(err error) error {
	e, ok := errs.As(err)
	if !ok || e.Kind != errs.Conflict {
		return err
	}
	switch e.MsgID {
	case "error.booth_code_taken":
		return &errs.Error{Kind: errs.Conflict, MsgID: "error.block_code_taken", Field: "prefix"}
	case "error.booth_overlap":
		return &errs.Error{Kind: errs.Conflict, MsgID: "error.block_overlap", Field: "x"}
	}
	return err
}
