package web_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"sprout/internal/errs"
)

// submitFile loads a page, takes its CSRF token and posts a multipart form
// holding one file, typed by its name's extension as browsers do.
func (b *browser) submitFile(from, action, field, filename string, data []byte) page {
	b.t.Helper()
	return b.submitForm(from, action, nil, field, filename, data)
}

// submitForm posts a multipart form with fields and one file, as a
// browser does, with the CSRF token of the page it comes from.
func (b *browser) submitForm(from, action string, fields url.Values, field, filename string, data []byte) page {
	b.t.Helper()
	m := csrfRE.FindStringSubmatch(b.do("GET", from, nil).html)
	if m == nil {
		b.t.Fatalf("no CSRF token on %s", from)
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if err := w.WriteField("_csrf", m[1]); err != nil {
		b.t.Fatal(err)
	}
	for k, vs := range fields {
		for _, v := range vs {
			if err := w.WriteField(k, v); err != nil {
				b.t.Fatal(err)
			}
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="`+field+`"; filename="`+filename+`"`)
	h.Set("Content-Type", mime.TypeByExtension(filepath.Ext(filename)))
	part, err := w.CreatePart(h)
	if err != nil {
		b.t.Fatal(err)
	}
	part.Write(data)
	w.Close()
	req, _ := http.NewRequest("POST", b.e.base+action, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	html, _ := io.ReadAll(res.Body)
	return page{code: res.StatusCode, location: res.Header.Get("Location"), html: string(html)}
}

// pngImage draws a w×h PNG; noise makes it incompressible, so its size is
// about 4·w·h bytes.
func pngImage(t *testing.T, w, h int, noise bool) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	if noise {
		rand.Read(img.Pix)
	} else {
		for x := range w {
			img.Set(x, h/2, color.RGBA{G: 148, B: 104, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestOrganizerSetsEventBanner(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		org := e.organizer()
		eventID, _ := e.techfest(org, 10, false)
		slug := e.call("GET", "/api/v1/events/"+eventID, nil).status(200).str("event.slug")
		b := e.signIn("btc@sprout.test", "organizer-pass")
		manage, bannerURL := "/manage/events/"+eventID, "/events/"+slug+"/banner"
		visitor := e.browser("")

		if p := b.do("GET", manage, nil); !strings.Contains(p.html, "Sự kiện chưa có ảnh bìa") || !strings.Contains(p.html, `enctype="multipart/form-data"`) {
			t.Fatal("the organizer's page offers a banner upload")
		}
		if res, _ := visitor.download(bannerURL); res.StatusCode != 404 {
			t.Fatalf("the banner of an event without one: %d", res.StatusCode)
		}

		text := []byte("Chương trình Techfest: đây là văn bản, không phải ảnh.")
		big := pngImage(t, 1000, 800, true)
		if len(big) < 3_000_000 {
			t.Fatalf("the large image is only %d bytes", len(big))
		}
		unchanged := func(what string) {
			t.Helper()
			if ev, err := e.app.Events.Event(ctx, eventID, true); err != nil || ev.BannerID != "" {
				t.Fatalf("after %s: banner %q, %v", what, ev.BannerID, err)
			}
			if res, _ := visitor.download(bannerURL); res.StatusCode != 404 {
				t.Fatalf("after %s the event shows a banner: %d", what, res.StatusCode)
			}
		}
		p := b.submitFile(manage, manage+"/banner", "banner", "banner.png", text)
		if p.code != 400 || !strings.Contains(p.html, "Ảnh phải là tệp JPEG, PNG hoặc WebP") || !strings.Contains(p.html, `id="banner-file"`) {
			t.Fatalf("a text file named .png: %d, the page must come back with the error by the field", p.code)
		}
		unchanged("a text file")
		if p := b.submitFile(manage, manage+"/banner", "banner", "poster.png", big); p.code != 413 || !strings.Contains(p.html, "Tệp quá lớn (tối đa 2 MB)") {
			t.Fatalf("a 3 MB image through the page: %d", p.code)
		}
		unchanged("a 3 MB image")
		if msg := e.authed(org, "PUT", "/api/v1/events/"+eventID+"/banner", text, "Content-Type", "image/png").errorCode(400, "invalid"); !strings.Contains(msg, "JPEG, PNG hoặc WebP") {
			t.Fatalf("a text body through the API: %q", msg)
		}
		e.authed(org, "PUT", "/api/v1/events/"+eventID+"/banner", big, "Content-Type", "image/png").errorCode(413, "too_large")
		e.call("PUT", "/api/v1/events/"+eventID+"/banner", pngImage(t, 60, 20, false), "Content-Type", "image/png").errorCode(401, "unauthorized")
		unchanged("refused API uploads")

		first := pngImage(t, 300, 100, false)
		p = b.submitFile(manage, manage+"/banner", "banner", "Ảnh bìa.png", first)
		if p.code != 303 || p.location != manage+"#banner" {
			t.Fatalf("upload through the page: %d %q", p.code, p.location)
		}
		ev, _ := e.app.Events.Event(ctx, eventID, true)
		img := bannerURL + "?v=" + ev.BannerID
		if p := b.do("GET", manage, nil); !strings.Contains(p.html, "Đã lưu ảnh bìa") || !strings.Contains(p.html, `src="`+img+`"`) || !strings.Contains(p.html, `action="`+manage+`/banner/delete" data-confirm=`) {
			t.Fatal("the organizer's page shows the flash, a preview and a remove button asking first")
		}
		if p := visitor.do("GET", "/events/"+slug, nil); !strings.Contains(p.html, `<img class="event-banner" src="`+img+`"`) {
			t.Fatal("the public page shows the banner at the top")
		}
		if p := visitor.do("GET", "/events", nil); !strings.Contains(p.html, `<img class="event-thumb" src="`+img+`"`) {
			t.Fatal("the list of events shows the banner as a thumbnail")
		}
		res, body := visitor.download(img)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" || !bytes.Equal(body, first) ||
			res.Header.Get("Cache-Control") != "public, max-age=3600" || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("the banner: %d %q %q %q, same bytes: %v", res.StatusCode, res.Header.Get("Content-Type"),
				res.Header.Get("Cache-Control"), res.Header.Get("X-Content-Type-Options"), bytes.Equal(body, first))
		}
		if res.Header.Get("Set-Cookie") != "" {
			t.Fatal("the banner sets a cookie, which keeps shared caches from keeping it")
		}

		second := pngImage(t, 400, 100, false)
		r := e.authed(org, "PUT", "/api/v1/events/"+eventID+"/banner", second, "Content-Type", "image/png").status(200)
		newID := r.str("event.banner_id")
		if newID == ev.BannerID || r.str("event.id") != eventID {
			t.Fatalf("upload through the API: %s", r.body)
		}
		if _, body := visitor.download(bannerURL); !bytes.Equal(body, second) {
			t.Fatal("the banner is the one uploaded last")
		}
		if _, err := e.app.Store.File(ctx, ev.BannerID); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("the replaced banner is still stored: %v", err)
		}
		if p := b.submitFile(manage, manage+"/banner", "banner", "notes.png", text); p.code != 400 {
			t.Fatalf("a text file over a banner: %d", p.code)
		}
		if _, body := visitor.download(bannerURL); !bytes.Equal(body, second) {
			t.Fatal("a refused upload changed the banner")
		}

		if p := b.submit(manage, manage+"/banner/delete", url.Values{}); p.code != 303 || p.location != manage+"#banner" {
			t.Fatalf("remove the banner: %d %q", p.code, p.location)
		}
		if p := b.do("GET", manage, nil); !strings.Contains(p.html, "Đã gỡ ảnh bìa") || !strings.Contains(p.html, "Sự kiện chưa có ảnh bìa") {
			t.Fatal("the organizer's page says the banner is gone")
		}
		if res, _ := visitor.download(bannerURL); res.StatusCode != 404 {
			t.Fatalf("the banner after removing it: %d", res.StatusCode)
		}
		if p := visitor.do("GET", "/events/"+slug, nil); strings.Contains(p.html, "event-banner") {
			t.Fatal("the public page still shows a banner")
		}
		if _, err := e.app.Store.File(ctx, newID); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("the removed banner is still stored: %v", err)
		}
	})
}
