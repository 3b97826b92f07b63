package studio

import (
	"testing"

	"tramso/kiosk/content"
	"tramso/kiosk/flow"
	"tramso/kiosk/lang"
)

func TestDiffLifeEvent(t *testing.T) {
	const how = `Câu hỏi "Bạn muốn làm giấy tờ cho bé theo cách nào?"`
	cases := []struct {
		name   string
		id     string
		mutate func(e *content.LifeEvent)
		want   []change
	}{
		{"unchanged", "em-be", func(e *content.LifeEvent) {}, nil},
		{"the title", "em-be", func(e *content.LifeEvent) { e.Title["vi"] = "Nhà có em bé" },
			[]change{{`Tên: "Gia đình có em bé" → "Nhà có em bé" (xem lại: bản tiếng Anh chưa sửa theo)`, false}}},
		{"the title translated into Ê Đê", "em-be", func(e *content.LifeEvent) { e.Title["rad"] = "Hđeh mnuih" },
			[]change{{`Tên (tiếng Ê Đê): thêm "Hđeh mnuih"`, false}}},
		{"words residents use", "em-be", func(e *content.LifeEvent) { e.Words = append(e.Words[1:], "bé mới sinh") },
			[]change{{`Từ người dân hay dùng: bỏ "em bé"`, false}, {`Từ người dân hay dùng: thêm "bé mới sinh"`, false}}},
		{"a procedure no longer offered", "em-be", func(e *content.LifeEvent) { e.Procedures = e.Procedures[:2] },
			[]change{{`Thủ tục: bỏ "1.001022"`, false}}},
		{"an answer leads by post", "em-be", func(e *content.LifeEvent) { e.Flow.Questions[0].Answers[0].Channel = "post" },
			[]change{{how + ` — câu trả lời "Đến xã làm giấy khai sinh" — dẫn tới: thủ tục 1.001193, nộp trực tiếp → thủ tục 1.001193, qua bưu điện`, false}}},
		{"an answer added", "em-be", func(e *content.LifeEvent) {
			q := &e.Flow.Questions[0]
			q.Answers = append(q.Answers, flow.Answer{ID: "unsure", Text: lang.Text{"vi": "Chưa biết"}, AskStaff: true})
		}, []change{{how + ` — câu trả lời: thêm "Chưa biết" → hỏi cán bộ`, false},
			{how + ` — câu trả lời "Chưa biết" — lời: thêm "Chưa biết"`, false},
			{how + ` — câu trả lời "Chưa biết" — dẫn tới: thêm hỏi cán bộ`, false}}},
		{"the flow removed", "em-be", func(e *content.LifeEvent) { e.Flow = nil }, []change{
			{`Câu hỏi đầu tiên: bỏ how`, false},
			{`Câu hỏi: bỏ "Bạn muốn làm giấy tờ cho bé theo cách nào?"`, false},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before, after := lifeEvent(t, c.id), lifeEvent(t, c.id)
			c.mutate(after)
			checkChanges(t, DiffLifeEvent(before, after), c.want)
		})
	}
}
