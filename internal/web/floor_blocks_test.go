package web_test

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// planRectRE reads a booth of the organizer's plan: code, then its
// rectangle in SVG units (ten to a grid unit).
var planRectRE = regexp.MustCompile(`<title>([^<]+)</title><rect class="booth-available" x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)"/>`)

// blockForm is the block of 4 rows of 6 booths of 3 by 2 from (10, 5),
// an aisle of 2 after the first two rows.
func blockForm() url.Values {
	return url.Values{"prefix": {"A"}, "first": {"1"}, "rows": {"4"}, "cols": {"6"}, "hall": {"Sảnh A"},
		"zone": {"Khu Khởi nghiệp"}, "size_class": {"M"}, "x": {"10"}, "y": {"5"}, "w": {"3"}, "h": {"2"},
		"aisle_every": {"2"}, "aisle_width": {"2"}, "price": {"6.000.000"}}
}

func TestBlockFormLaysOutBooths(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, _ := e.techfest(org, 10, false)
		f := expoFloor{e: e, org: org, b: e.signIn("btc@sprout.test", "organizer-pass"), eventID: eventID}
		floor := "/manage/events/" + eventID + "/floor"
		if p := f.b.do("GET", floor, nil); !strings.Contains(p.html, "Thêm dãy gian hàng") ||
			!strings.Contains(p.html, `action="/manage/events/`+eventID+`/booths/block"`) {
			t.Fatalf("the workspace has no block form: %.3000s", p.html)
		}
		p := f.b.submit(floor, floor[:len(floor)-len("floor")]+"booths/block", blockForm())
		if p.code != 303 || p.location != floor {
			t.Fatalf("adding a block: %d %q %.2000s", p.code, p.location, p.html)
		}
		p = f.b.do("GET", p.location, nil)
		if !strings.Contains(p.html, "Đã thêm 24 gian hàng A01–A24") {
			t.Fatalf("no flash naming the block: %.3000s", p.html)
		}
		if again := f.b.do("GET", floor, nil); strings.Contains(again.html, "Đã thêm 24 gian hàng") {
			t.Error("the flash shows twice")
		}

		// Row by row, left to right; the third row starts past the aisle.
		rects := map[string][4]int{}
		for _, m := range planRectRE.FindAllStringSubmatch(p.html, -1) {
			var r [4]int
			for i := range r {
				r[i], _ = strconv.Atoi(m[2+i])
			}
			rects[m[1]] = r
		}
		if len(rects) != 24 {
			t.Fatalf("the plan shows %d booths, want 24: %v", len(rects), rects)
		}
		for i := range 24 {
			row, col := i/6, i%6
			code := fmt.Sprintf("A%02d", i+1)
			want := [4]int{(10 + 3*col) * 10, (5 + 2*row + row/2*2) * 10, 30, 20}
			if rects[code] != want {
				t.Errorf("%s drawn at %v, want %v", code, rects[code], want)
			}
		}
		list := e.authed(org, "GET", "/api/v1/events/"+eventID+"/booths", nil).status(200).get("booths").([]any)
		last := list[23].(map[string]any)
		if len(list) != 24 || last["code"] != "A24" || last["hall"] != "Sảnh A" || last["zone"] != "Khu Khởi nghiệp" ||
			last["size_class"] != "M" || last["price"] != 6_000_000.0 || last["status"] != "available" {
			t.Fatalf("the block's booths: %v", list)
		}
		changes := e.authed(org, "GET", "/api/v1/events/"+eventID+"/booths/changes", nil).status(200).get("changes").([]any)
		if len(changes) != 24 {
			t.Fatalf("%d history steps for a block of 24", len(changes))
		}
	})
}

func TestBlockFormRefusals(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, _ := e.techfest(org, 10, false)
		f := expoFloor{e: e, org: org, b: e.signIn("btc@sprout.test", "organizer-pass"), eventID: eventID}
		// B1 stands where the block's last booth would go.
		e.authed(org, "POST", "/api/v1/events/"+eventID+"/booths",
			map[string]any{"code": "B1", "hall": "Sảnh A", "zone": "Khu Khởi nghiệp", "x": 26, "y": 14, "w": 2, "h": 2}).status(201)
		floor := "/manage/events/" + eventID + "/floor"
		add := func(change map[string]string) page {
			t.Helper()
			v := blockForm()
			for k, x := range change {
				v.Set(k, x)
			}
			return f.b.submit(floor, "/manage/events/"+eventID+"/booths/block", v)
		}
		// The error sits after the field it is about, the input is kept.
		next := func(p page, code int, field, msg string) {
			t.Helper()
			wantRefused(t, "a block refused at "+field, p, code, msg)
			at := strings.Index(p.html, `id="block-`+field+`"`)
			if at < 0 || !strings.Contains(html.UnescapeString(p.html[at:]), `<p class="field-error" role="alert" id="block-`+field+`-error">`+msg) {
				t.Fatalf("%q is not shown after field %s: %.4000s", msg, field, p.html)
			}
			if !strings.Contains(p.html, `id="block-prefix" name="prefix" type="text" maxlength="20" value="A"`) {
				t.Fatal("the prefix typed is lost")
			}
		}
		p := add(nil)
		next(p, 409, "x", "Dãy này chồng lên một gian hàng đã có trong cùng sảnh; hãy đổi vị trí.")
		if !strings.Contains(html.UnescapeString(p.html), "Xem trước: 24 gian hàng A01–A24, 4 hàng × 6 cột, từ (10, 5) đến (28, 15).") {
			t.Errorf("no preview of the refused block: %.4000s", p.html)
		}
		// A07, in another hall, has a code of the block moved clear of B1.
		e.authed(org, "POST", "/api/v1/events/"+eventID+"/booths",
			map[string]any{"code": "A07", "hall": "Sảnh B", "zone": "Khu Khởi nghiệp", "x": 0, "y": 0, "w": 2, "h": 2}).status(201)
		next(add(map[string]string{"x": "0"}), 409, "prefix",
			"Một số mã trong dãy đã có ở sự kiện; hãy đổi tiền tố hoặc số bắt đầu.")
		next(add(map[string]string{"cols": "0"}), 400, "cols", "Hãy nhập một số từ 1 đến 1.000.")
		next(add(map[string]string{"w": "-3"}), 400, "w", "Gian hàng cần vị trí trên lưới, chiều rộng và chiều sâu lớn hơn 0.")
		next(add(map[string]string{"rows": "7", "cols": "143"}), 400, "cols", "Một dãy có tối đa 1.000 gian hàng; dãy này có 1.001.")
		next(add(map[string]string{"rows": "bốn"}), 400, "rows", "Hãy nhập một số nguyên.")
		next(add(map[string]string{"x": "9990"}), 400, "x", "Dãy vượt ra ngoài lưới: mọi gian phải nằm trong 10.000 ô mỗi chiều.")
		if n := f.boothCount(); n != 2 {
			t.Fatalf("refused blocks made booths: %d", n)
		}
		// The same block clear of B1, numbered past A07, lands whole.
		if p := add(map[string]string{"x": "0", "first": "8"}); p.code != 303 {
			t.Fatalf("a block clear of others: %d %.2000s", p.code, p.html)
		}
		if n := f.boothCount(); n != 26 {
			t.Fatalf("booths after a block of 24: %d", n)
		}
	})
}

func TestBlockAPI(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, _ := e.techfest(org, 10, false)
		block := map[string]any{"prefix": "A", "first": 1, "rows": 4, "cols": 6, "hall": "Sảnh A", "zone": "Khu Khởi nghiệp",
			"x": 0, "y": 0, "w": 3, "h": 3, "aisle_every": 2, "aisle_width": 2, "price": 6_000_000}
		path := "/api/v1/events/" + eventID + "/booths/block"
		e.authed(e.member("khach@sprout.test"), "POST", path, block).status(403)
		r := e.authed(org, "POST", path, block).status(201)
		list := r.get("booths").([]any)
		if len(list) != 24 || list[0].(map[string]any)["code"] != "A01" || list[23].(map[string]any)["code"] != "A24" ||
			list[23].(map[string]any)["y"] != 11.0 || list[23].(map[string]any)["x"] != 15.0 {
			t.Fatalf("the block: %s", r.body)
		}
		// Moved down by one unit it lands on itself: nothing new is stored.
		block["y"], block["prefix"] = 1, "C"
		r = e.authed(org, "POST", path, block).status(409)
		if r.str("error.field") != "x" {
			t.Fatalf("an overlapping block: %s", r.body)
		}
		block["rows"] = 0
		if r = e.authed(org, "POST", path, block).status(400); r.str("error.field") != "rows" {
			t.Fatalf("a block of no rows: %s", r.body)
		}
		if n := len(e.authed(org, "GET", "/api/v1/events/"+eventID+"/booths", nil).status(200).get("booths").([]any)); n != 24 {
			t.Fatalf("booths after refused blocks: %d", n)
		}
	})
}
