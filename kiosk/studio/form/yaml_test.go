package form

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"tramso/kiosk/content"
)

// TestEncodeYAMLRoundTripsEveryStarterFile: written again, unchanged, every
// starter file reads back the same, keeps every comment line, and differs
// is written byte for byte as it was.
func TestEncodeYAMLRoundTripsEveryStarterFile(t *testing.T) {
	for p, data := range starterFiles(t) {
		v := decodeStarter(t, p)
		out, err := EncodeYAML(data, v)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		back, err := Decode(p, out)
		if err != nil || !Equal(back, v) {
			t.Fatalf("%s: does not read back: %v", p, err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if c := strings.TrimSpace(line); strings.HasPrefix(c, "#") && !strings.Contains(string(out), c) {
				t.Errorf("%s: comment lost: %s", p, c)
			}
		}
		if d := diffLines(strings.Split(string(data), "\n"), strings.Split(string(out), "\n")); d != "" {
			t.Errorf("%s: unchanged content written differently:\n%s", p, d)
		}
	}
}

// TestEncodeYAMLChangesOnlyWhatChanged: the late fee becomes an amount;
// the file changes in that rule only, keeps its comments, reads back.
func TestEncodeYAMLChangesOnlyWhatChanged(t *testing.T) {
	const p = "procedures/khai-sinh.yaml"
	data, _ := fs.ReadFile(content.Starter(), p)
	v := decodeStarter(t, p).(*content.Procedure)
	late := lateFee(t, v)
	late.Kind, late.Amount = "amount", 8000
	late.Note = content.Text{"vi": "Đăng ký quá hạn: 8.000 đồng."}
	v.Documents = append(v.Documents, content.Document{Name: content.Text{"vi": "Sổ tạm trú", "en": "Residence book"}, Originals: 1, Action: "show"})
	v.Cases[0].Documents = nil
	v.Aliases = append(v.Aliases, "khai sinh muộn")
	out, err := EncodeYAML(data, v)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode(p, out)
	if err != nil || !Equal(back, v) {
		t.Fatalf("does not read back: %v\n%s", err, out)
	}
	got := diffLines(nonBlank(string(data)), nonBlank(string(out)))
	want := `+ aliases: [khai sinh, giấy khai sinh, làm khai sinh, khai sinh cho con, đăng ký khai sinh cho bé, làm giấy khai sanh, khai sanh, giấy khai sinh cho bé mới sinh, khai sinh muộn]
- aliases: [khai sinh, giấy khai sinh, làm khai sinh, khai sinh cho con, đăng ký khai sinh cho bé, làm giấy khai sanh, khai sanh, giấy khai sinh cho bé mới sinh]
+   - name: {vi: "Sổ tạm trú", en: "Residence book"}
+     originals: 1
+     action: show
-     documents:
-       - name: {vi: "Giấy chứng sinh do bệnh viện, trạm y tế cấp (bản chính)", en: "Birth notice from the hospital or clinic (original)"}
-         short: {vi: "Giấy chứng sinh", en: "Birth notice"}
-         originals: 1
-         copies: 0
-         action: hand_in
+     kind: amount
+     amount: 8000
+     note: {vi: "Đăng ký quá hạn: 8.000 đồng."}
-     kind: province
-     note: {vi: "Đăng ký quá hạn: mức lệ phí do HĐND tỉnh Đắk Lắk quy định.", en: "Late registration: the fee is set by the Đắk Lắk People's Council."}
`
	if got != want {
		t.Fatalf("diff:\n%s\nwant:\n%s", got, want)
	}
}

func nonBlank(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// diffLines is a small line diff (longest common subsequence): "- " lines
// only in a, "+ " lines only in b, in order.
func diffLines(a, b []string) string {
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out strings.Builder
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			i, j = i+1, j+1
		case j < len(b) && (i == len(a) || lcs[i][j+1] >= lcs[i+1][j]):
			fmt.Fprintf(&out, "+ %s\n", b[j])
			j++
		default:
			fmt.Fprintf(&out, "- %s\n", a[i])
			i++
		}
	}
	return out.String()
}
