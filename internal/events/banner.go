package events

import (
	"context"

	"sprout/internal/errs"
	"sprout/internal/files"
	"sprout/internal/ids"
)

// SetBanner makes an uploaded image the event's banner: a JPEG, PNG or WebP
// of at most MaxBanner bytes. Nothing is stored when the image is refused.
func (s *Service) SetBanner(ctx context.Context, eventID, name string, data []byte) (Event, error) {
	ct, err := files.CheckImage(data, MaxBanner)
	if err != nil {
		if e, ok := errs.As(err); ok {
			e.Field = "banner"
		}
		return Event{}, err
	}
	e, err := s.store.EventByID(ctx, eventID)
	if err != nil {
		return Event{}, err
	}
	now := s.now()
	f := files.File{ID: ids.New(), Name: files.CleanName(name), ContentType: ct, Size: int64(len(data)), Data: data, CreatedAt: now}
	if err := s.files.PutFile(ctx, f); err != nil {
		return Event{}, err
	}
	prev, err := s.store.SetEventBanner(ctx, eventID, f.ID, now)
	if err != nil {
		s.discard(ctx, f.ID)
		return Event{}, err
	}
	s.discard(ctx, prev)
	e.BannerID, e.UpdatedAt = f.ID, now
	return e, nil
}

// RemoveBanner leaves the event without a banner.
func (s *Service) RemoveBanner(ctx context.Context, eventID string) (Event, error) {
	e, err := s.store.EventByID(ctx, eventID)
	if err != nil {
		return Event{}, err
	}
	now := s.now()
	prev, err := s.store.SetEventBanner(ctx, eventID, "", now)
	if err != nil {
		return Event{}, err
	}
	s.discard(ctx, prev)
	e.BannerID, e.UpdatedAt = "", now
	return e, nil
}

// Banner is the image of an event's banner; errs.NotFound when it has none.
func (s *Service) Banner(ctx context.Context, e Event) (files.File, error) {
	if e.BannerID == "" {
		return files.File{}, errs.ErrNotFound
	}
	return s.files.File(ctx, e.BannerID)
}

// discard deletes a file no event points at any more. Failing to is not
// the user's problem: the event already shows what they chose, and the
// file left behind is only wasted space.
func (s *Service) discard(ctx context.Context, fileID string) {
	if fileID != "" {
		_ = s.files.DeleteFile(ctx, fileID)
	}
}
