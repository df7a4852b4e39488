package files

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"testing"

	"sprout/internal/errs"
)

func TestCheckImageJudgesTheBytes(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 8, 4))
	var p, j bytes.Buffer
	if err := png.Encode(&p, img); err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(&j, img, nil); err != nil {
		t.Fatal(err)
	}
	webp := []byte("RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00")
	for want, data := range map[string][]byte{"image/png": p.Bytes(), "image/jpeg": j.Bytes(), "image/webp": webp} {
		if got, err := CheckImage(data, 1<<20); err != nil || got != want {
			t.Errorf("CheckImage(%s) = %q, %v", want, got, err)
		}
	}
	for name, data := range map[string][]byte{
		"text named .png": []byte("đây không phải ảnh"),
		"GIF":             []byte("GIF89a\x01\x00\x01\x00"),
		"SVG":             []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`),
		"nothing":         nil,
	} {
		_, err := CheckImage(data, 1<<20)
		if e, ok := errs.As(err); !ok || e.Kind != errs.Invalid || e.MsgID != "error.image_type" {
			t.Errorf("%s: %v, want error.image_type", name, err)
		}
	}
	_, err := CheckImage(p.Bytes(), int64(p.Len()-1))
	if e, ok := errs.As(err); !ok || e.Kind != errs.TooLarge || e.MsgID != "error.file_too_large" {
		t.Errorf("one byte too many: %v", err)
	}
	if _, err := CheckImage(p.Bytes(), int64(p.Len())); err != nil {
		t.Errorf("exactly the limit: %v", err)
	}
	_, err = CheckImage(make([]byte, 3<<20), 2<<20)
	if e, _ := errs.As(err); e == nil || e.Data["Max"] != "2 MB" {
		t.Errorf("the limit as people read it: %v", err)
	}
}
