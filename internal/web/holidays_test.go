package web_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// holidayRow is the holiday page's row of a date, "" when it is not listed.
func holidayRow(html, date string) string {
	for _, row := range strings.Split(html, "<tr")[1:] {
		if strings.Contains(row, `data-holiday="`+date+`"`) {
			return row
		}
	}
	return ""
}

// The list starts with the official days; an admin adds, replaces and
// removes days from the page, each change in the audit log, and a form
// with mistakes shows each beside its field and changes nothing.
func TestHolidayAdminPageAddsReplacesAndDeletes(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		admin := e.signIn("admin@sprout.test", "admin-password-1")
		p := admin.do("GET", "/admin/holidays?year=2026", nil)
		if p.code != 200 || !strings.Contains(p.html, `<a href="/admin/holidays" aria-current="page">Ngày nghỉ lễ</a>`) {
			t.Fatalf("the holidays page: %d", p.code)
		}
		tet := holidayRow(p.html, "2026-02-16")
		if !strings.Contains(tet, "16 tháng 2, 2026") || !strings.Contains(tet, "Thứ Hai") || !strings.Contains(tet, "Tết Nguyên Đán") ||
			!strings.Contains(tet, "Lunar New Year (Tết)") || !strings.Contains(tet, "Ngày nghỉ") || !strings.Contains(tet, "data-confirm=") {
			t.Fatalf("the Tết row in Vietnamese: %s", tet)
		}
		if holidayRow(p.html, "2027-02-08") != "" {
			t.Error("2026's page lists a day of 2027")
		}

		// Every mistake at once, beside its field; nothing is added.
		bad := admin.submit("/admin/holidays?year=2026", "/admin/holidays?year=2026", url.Values{
			"date": {"2026-02-30"}, "name": {"  "}, "name_en": {""}, "kind": {"holiday"}})
		if bad.code != 400 || !strings.Contains(bad.html, `id="hd-date-error"`) || !strings.Contains(bad.html, `id="hd-name-error"`) ||
			!strings.Contains(bad.html, `data-for="hd-date"`) || !strings.Contains(bad.html, `value="2026-02-30"`) {
			t.Fatalf("a bad date and no name: %d", bad.code)
		}
		weekday := admin.submit("/admin/holidays?year=2026", "/admin/holidays?year=2026", url.Values{
			"date": {"2026-05-06"}, "name": {"Làm bù"}, "kind": {"workday"}})
		if weekday.code != 400 || !strings.Contains(weekday.html, "Ngày làm bù phải là thứ Bảy hoặc Chủ nhật.") {
			t.Fatalf("a worked Wednesday: %d", weekday.code)
		}
		if n := len(e.call("GET", "/api/v1/holidays", nil).status(200).get("holidays").([]any)); n != 24 {
			t.Fatalf("after refused forms the list holds %d days, want the 24 defaults", n)
		}

		// A worked Saturday, added, then renamed by entering its date again.
		p = admin.submit("/admin/holidays?year=2026", "/admin/holidays?year=2026", url.Values{
			"date": {"2026-08-29"}, "name": {"Làm bù Quốc khánh"}, "name_en": {"Worked in lieu"}, "kind": {"workday"}})
		if p.code != 303 || p.location != "/admin/holidays?year=2026" {
			t.Fatalf("adding a worked Saturday: %d → %q", p.code, p.location)
		}
		p = admin.do("GET", p.location, nil)
		if row := holidayRow(p.html, "2026-08-29"); !strings.Contains(p.html, "Đã thêm Làm bù Quốc khánh (29 tháng 8, 2026).") ||
			!strings.Contains(row, "Thứ Bảy") || !strings.Contains(row, "Ngày làm bù") {
			t.Fatalf("the worked Saturday is listed: %s", row)
		}
		p = admin.submit("/admin/holidays?year=2026", "/admin/holidays?year=2026", url.Values{
			"date": {"2026-08-29"}, "name": {"Làm bù ngày 31/8"}, "kind": {"workday"}})
		if p = admin.do("GET", p.location, nil); !strings.Contains(p.html, "Đã cập nhật Làm bù ngày 31/8") ||
			strings.Count(p.html, `data-holiday="2026-08-29"`) != 1 {
			t.Fatal("entering a listed date again replaces its entry")
		}

		p = admin.submit("/admin/holidays?year=2026", "/admin/holidays/2026-08-29/delete", url.Values{})
		if p.code != 303 || p.location != "/admin/holidays?year=2026" {
			t.Fatalf("deleting: %d → %q", p.code, p.location)
		}
		if p = admin.do("GET", p.location, nil); holidayRow(p.html, "2026-08-29") != "" || !strings.Contains(p.html, "Đã xóa ngày khỏi danh sách ngày nghỉ lễ.") {
			t.Fatal("the deleted day is gone")
		}
		if p = admin.submit("/admin/holidays?year=2026", "/admin/holidays/2026-08-29/delete", url.Values{}); p.code != 303 {
			t.Fatalf("deleting a day no longer listed: %d", p.code)
		}

		if p = admin.do("GET", "/admin/holidays?year=2031", nil); !strings.Contains(p.html, "Chưa có ngày nghỉ lễ nào trong năm 2031.") {
			t.Error("a year without holidays says so")
		}
		en := e.signIn("admin@sprout.test", "admin-password-1")
		en.do("GET", "/lang/en", nil)
		if row := holidayRow(en.do("GET", "/admin/holidays?year=2026", nil).html, "2026-04-27"); !strings.Contains(row, "27 Apr 2026") ||
			!strings.Contains(row, "Monday") || !strings.Contains(row, "Day off") {
			t.Errorf("the day in lieu of Giỗ Tổ in English: %s", row)
		}

		actions, _, _ := e.auditEntries("action=holiday")
		if strings.Join(actions, ",") != "holiday.delete,holiday.put,holiday.put" {
			t.Errorf("the audit log holds %v", actions)
		}
	})
}

// The API lists the days to anyone; admins put and delete them by date.
func TestHolidayAPIPutsAndDeletesByDate(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		list := e.call("GET", "/api/v1/holidays", nil).status(200)
		if list.str("holidays.0.date") != "2026-01-01" || list.str("holidays.0.name_en") != "New Year's Day" || list.str("holidays.0.kind") != "holiday" {
			t.Fatalf("the public list starts with 1 January 2026: %s", list.body)
		}
		_, member := e.user("thanh@example.vn")
		day := map[string]any{"name": "Ngày Văn hóa Việt Nam", "name_en": "Vietnamese Culture Day"}
		e.authed(member, "PUT", "/api/v1/holidays/2026-11-24", day).errorCode(403, "forbidden")
		e.call("PUT", "/api/v1/holidays/2026-11-24", day).errorCode(401, "unauthorized")
		e.authed(member, "DELETE", "/api/v1/holidays/2026-01-01", nil).errorCode(403, "forbidden")

		r := e.authed(e.admin, "PUT", "/api/v1/holidays/2026-11-24", day).status(201)
		if r.str("holiday.date") != "2026-11-24" || r.str("holiday.kind") != "holiday" {
			t.Fatalf("put: %s", r.body)
		}
		day["name"] = "Ngày Văn hóa"
		if r = e.authed(e.admin, "PUT", "/api/v1/holidays/2026-11-24", day).status(200); r.str("holiday.name") != "Ngày Văn hóa" {
			t.Fatalf("put again: %s", r.body)
		}

		bad := e.authed(e.admin, "PUT", "/api/v1/holidays/2026-13-01", map[string]any{"name": "", "kind": "holiday"})
		bad.errorCode(400, "invalid")
		if bad.get("error.fields.date") == nil || bad.get("error.fields.name") == nil {
			t.Fatalf("a bad date and no name name both fields: %s", bad.body)
		}
		e.authed(e.admin, "PUT", "/api/v1/holidays/2026-11-25", map[string]any{"name": "Nghỉ", "kind": "vacation"}).errorCode(400, "invalid")

		e.authed(e.admin, "DELETE", "/api/v1/holidays/2026-01-01", nil).status(204)
		e.authed(e.admin, "DELETE", "/api/v1/holidays/2026-01-01", nil).errorCode(404, "not_found")
		e.authed(e.admin, "DELETE", "/api/v1/holidays/not-a-date", nil).errorCode(404, "not_found")

		list = e.call("GET", "/api/v1/holidays", nil).status(200)
		days := list.get("holidays").([]any)
		if len(days) != 24 || list.str("holidays.0.date") != "2026-02-16" {
			t.Fatalf("after one day added and one deleted: %d days from %s", len(days), list.str("holidays.0.date"))
		}
		var named string
		for i := range days {
			if d := list.str("holidays." + strconv.Itoa(i) + ".date"); d == "2026-11-24" {
				named = list.str("holidays." + strconv.Itoa(i) + ".name")
			}
		}
		if named != "Ngày Văn hóa" {
			t.Errorf("24 November is listed as %q", named)
		}
	})
}

// Only admins see or change the page.
func TestHolidayPageIsForAdmins(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		if p := e.browser("").do("GET", "/admin/holidays", nil); p.code/100 != 3 || !strings.HasPrefix(p.location, "/login") {
			t.Fatalf("a visitor: %d → %q", p.code, p.location)
		}
		e.user("organizer@example.vn", "organizer")
		org := e.signIn("organizer@example.vn", "mật khẩu dài")
		if p := org.do("GET", "/admin/holidays", nil); p.code != 403 {
			t.Fatalf("an organizer sees the page: %d", p.code)
		}
		admin := e.signIn("admin@sprout.test", "admin-password-1")
		p := admin.do("GET", "/admin/holidays?year=2026", nil)
		csrf := csrfRE.FindStringSubmatch(p.html)[1]
		if p := org.do("POST", "/admin/holidays/2026-01-01/delete", url.Values{"_csrf": {csrf}}); p.code != 403 {
			t.Fatalf("an organizer deletes: %d", p.code)
		}
		if holidayRow(admin.do("GET", "/admin/holidays?year=2026", nil).html, "2026-01-01") == "" {
			t.Fatal("1 January was deleted")
		}
	})
}
