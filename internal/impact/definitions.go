package impact

// Definition says how a figure is counted, in Vietnamese and English.
type Definition struct {
	VI string `json:"vi"`
	EN string `json:"en"`
}

// In is the definition in lang, Vietnamese unless lang is "en".
func (d Definition) In(lang string) string {
	if lang == "en" {
		return d.EN
	}
	return d.VI
}

// Definitions say how each figure is counted; the page, the JSON and the
// README give the same sentences.
var Definitions = map[Figure]Definition{
	StartupsSupported: {
		VI: "Số startup có ít nhất một hồ sơ được chấp nhận vào một chương trình ươm tạo; mỗi startup (tài khoản nhà sáng lập) tính một lần dù được nhận vào nhiều chương trình. Theo năm: năm ra quyết định.",
		EN: "Startups with at least one application accepted into an incubation programme; each startup (founder account) counts once however many programmes accepted it. By year: the year of the decision.",
	},
	StartupsInCohorts: {
		VI: "Số startup được chấp nhận và xếp vào một khóa ươm tạo (cohort); mỗi startup tính một lần. Theo năm: năm ra quyết định.",
		EN: "Accepted startups placed in a cohort; each startup counts once. By year: the year of the decision.",
	},
	Applications: {
		VI: "Số hồ sơ đã nộp vào các chương trình ươm tạo, kể cả hồ sơ sau đó bị từ chối hay rút; bản nháp không tính. Theo năm: năm nộp.",
		EN: "Applications submitted to incubation programmes, including those later rejected or withdrawn; drafts are not counted. By year: the year of submission.",
	},
	CertificatesIssued: {
		VI: "Số chứng nhận đã cấp (đào tạo và doanh nghiệp khoa học và công nghệ). Chứng nhận đã thu hồi vẫn tính là đã cấp; bản cấp lại để đính chính thay cho một chứng nhận khác không tính thêm. Theo năm: năm cấp.",
		EN: "Certificates issued (trainings and science-and-technology enterprises). Revoked certificates still count as issued; a re-issue that corrects and replaces another is not counted again. By year: the year of issue.",
	},
	TraineesCertified: {
		VI: "Số người đang có chứng nhận đào tạo còn hiệu lực, đếm theo họ tên trên chứng nhận: một người có nhiều chứng nhận tính một lần (hai người trùng họ tên cũng tính một lần, nên con số không bao giờ bị thổi phồng). Theo năm: năm cấp.",
		EN: "People holding a valid training certificate, counted by the name on the certificate: a person with several certificates counts once (two people with the same name also count once, so the figure is never overstated). By year: the year of issue.",
	},
	EventsHeld: {
		VI: "Số sự kiện đã công bố và đã kết thúc tại thời điểm tính số liệu. Theo năm: năm bắt đầu sự kiện.",
		EN: "Published events that had ended when the figures were counted. By year: the year the event started.",
	},
	VisitorsCheckedIn: {
		VI: "Số vé đã được quét vào cổng ít nhất một lần (lượt vào bị hủy không tính); mỗi vé tính một lần dù ra vào nhiều lần. Theo năm: năm của lượt vào đầu tiên.",
		EN: "Tickets scanned in at a gate at least once (annulled entries excluded); each ticket counts once however often it went in and out. By year: the year of its first entry.",
	},
	Exhibitors: {
		VI: "Số đơn vị trưng bày đã được duyệt, mỗi đơn tham gia một sự kiện tính một lần. Theo năm: năm được duyệt.",
		EN: "Approved exhibitors, each application to exhibit at an event counted once. By year: the year of approval.",
	},
}

// Licence is the open-data licence the figures are published under.
const (
	Licence    = "CC BY 4.0"
	LicenceURL = "https://creativecommons.org/licenses/by/4.0/"
)
