package workdays

import "time"

// Defaults are the official days off of 2026 and 2027, the list a
// deployment starts with until an admin edits it. Labour Code 2019, art.
// 112, gives public offices 1/1, five days of Tết, Giỗ Tổ Hùng Vương
// (10/3 lunar), 30/4, 1/5, and 2/9 with the day before or after; a holiday
// on a weekend is made up on the next working day. Sources, checked in
// December 2026:
//   - Tết 2026: the government's decision, off Saturday 14/2 to Sunday 22/2
//     (27 Chạp Ất Tỵ to mùng 6 Bính Ngọ), congan.com.vn and baomoi.
//   - Giỗ Tổ 2026 on Sunday 26/4, made up Monday 27/4; 30/4 and 1/5 on
//     Thursday and Friday: thanhnien.vn, 23/02/2026.
//   - 2/9/2026 with Tuesday 1/9: the Labour Code's rule; a longer break
//     the Ministry of Home Affairs proposed was not found decided.
//   - 2027 has not been announced. Tết (mùng 1 on Saturday 6/2) follows
//     2024's decided schedule, whose Tết also fell on a Saturday: off from
//     29 Chạp to mùng 5, the weekdays 4, 5, 8, 9 and 10/2. Giỗ Tổ falls on
//     Friday 16/4; 1/5 on a Saturday is made up Monday 3/5; 2/9 is taken
//     with Friday 3/9.
func Defaults() []Holiday {
	off := func(y int, m time.Month, d int, name, nameEN string) Holiday {
		return Holiday{Date: NewDate(y, m, d), Name: name, NameEN: nameEN, Kind: DayOff}
	}
	const (
		newYear, newYearEN = "Tết Dương lịch", "New Year's Day"
		tet, tetEN         = "Tết Nguyên Đán", "Lunar New Year (Tết)"
		hung, hungEN       = "Giỗ Tổ Hùng Vương", "Hung Kings' Commemoration Day"
		hungMade, hungMEN  = "Nghỉ bù Giỗ Tổ Hùng Vương", "Hung Kings' Commemoration Day (day in lieu)"
		reunif, reunifEN   = "Ngày Chiến thắng (30/4)", "Reunification Day"
		labour, labourEN   = "Ngày Quốc tế Lao động (1/5)", "International Labour Day"
		labourMade, lMEN   = "Nghỉ bù Ngày Quốc tế Lao động", "International Labour Day (day in lieu)"
		national, natEN    = "Quốc khánh", "National Day"
	)
	return []Holiday{
		off(2026, time.January, 1, newYear, newYearEN),
		off(2026, time.February, 16, tet, tetEN),
		off(2026, time.February, 17, tet, tetEN),
		off(2026, time.February, 18, tet, tetEN),
		off(2026, time.February, 19, tet, tetEN),
		off(2026, time.February, 20, tet, tetEN),
		off(2026, time.April, 26, hung, hungEN),
		off(2026, time.April, 27, hungMade, hungMEN),
		off(2026, time.April, 30, reunif, reunifEN),
		off(2026, time.May, 1, labour, labourEN),
		off(2026, time.September, 1, national, natEN),
		off(2026, time.September, 2, national, natEN),

		off(2027, time.January, 1, newYear, newYearEN),
		off(2027, time.February, 4, tet, tetEN),
		off(2027, time.February, 5, tet, tetEN),
		off(2027, time.February, 8, tet, tetEN),
		off(2027, time.February, 9, tet, tetEN),
		off(2027, time.February, 10, tet, tetEN),
		off(2027, time.April, 16, hung, hungEN),
		off(2027, time.April, 30, reunif, reunifEN),
		off(2027, time.May, 1, labour, labourEN),
		off(2027, time.May, 3, labourMade, lMEN),
		off(2027, time.September, 2, national, natEN),
		off(2027, time.September, 3, national, natEN),
	}
}
