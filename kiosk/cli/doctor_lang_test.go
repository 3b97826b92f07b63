package cli

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/hours"
	"tramso/kiosk/store"
)

// missedVietnamese is a doctor's record of the formats it reported with no
// Vietnamese; the test fails on any, whichever language it reported in.
func missedVietnamese(t *testing.T) map[string]bool {
	missed := map[string]bool{}
	t.Cleanup(func() {
		for format := range missed {
			t.Errorf("doctor printed %q, which has no Vietnamese in doctorVi (doctor_vi.go)", format)
		}
	})
	return missed
}

// TestDoctorSaysEachSeededFaultInVietnamese: every seeded fault, reported
// as a technician sees it by default, is said and fixed in Vietnamese, each
// sentence from the catalogue.
func TestDoctorSaysEachSeededFaultInVietnamese(t *testing.T) {
	for _, c := range seededFaults {
		t.Run(c.name, func(t *testing.T) {
			d := healthyDoctor(t)
			d.lang = ""                  // the default
			d.missed = map[string]bool{} // checked here, not only at cleanup
			c.seed(t, d)
			findings := d.run()
			var out bytes.Buffer
			d.report(&out, findings)
			for format := range d.missed {
				t.Errorf("no Vietnamese for %q", format)
			}
			clear(d.missed)
			report := out.String()
			if strings.Contains(report, "fix: ") || strings.Contains(report, "FAULT") || strings.Contains(report, "warning(s)") {
				t.Errorf("English left in the Vietnamese report:\n%s", report)
			}
			if !strings.Contains(report, "cách khắc phục: ") {
				t.Errorf("no fix said in Vietnamese:\n%s", report)
			}
			vi := &printer{lang: langVi}
			for _, f := range findings {
				if f.check == c.check && f.level == c.level && strings.Contains(f.say.String(), c.says) {
					if vi.say(f.say) == f.say.String() {
						t.Errorf("%s is said in English only: %s", c.check, f.say)
					}
					return
				}
			}
			t.Errorf("no %s %s finding saying %q:\n%s", c.level, c.check, c.says, report)
		})
	}
}

// TestDoctorKeyFindingsInVietnamese reads the Vietnamese of the findings a
// technician meets most, as printed.
func TestDoctorKeyFindingsInVietnamese(t *testing.T) {
	cases := []struct {
		name string
		seed func(t *testing.T, d *doctor)
		want []string // DATA and CONFIG stand for the doctor's paths
	}{
		{"no display", func(t *testing.T, d *doctor) {
			d.getenv = func(string) string { return "" }
		}, []string{
			"  LỖI    màn hình  không có màn hình: chưa đặt WAYLAND_DISPLAY hay DISPLAY\n",
			"cách khắc phục: chạy tramso từ phiên màn hình nền, hoặc cài gói tramso",
			"muốn dùng trình duyệt thì chạy `sudo -u tramso tramso serve` (bằng tài khoản của máy, không bao giờ bằng root)",
		}},
		{"data directory not writable", func(t *testing.T, d *doctor) {
			os.Chmod(d.dataDir, 0o555)
			t.Cleanup(func() { os.Chmod(d.dataDir, 0o750) })
			d.kioskUser = &account{name: "tramso", uid: 65534, gids: []int{65534}}
		}, []string{
			"  LỖI    dữ liệu   tài khoản tramso của máy không ghi được vào thư mục dữ liệu DATA\n",
			"                  cách khắc phục: chown -R tramso:tramso DATA\n",
		}},
		{"data directory missing", func(t *testing.T, d *doctor) {
			d.dataDir = filepath.Join(t.TempDir(), "gone")
		}, []string{
			"LỖI    dữ liệu   chưa có thư mục dữ liệu DATA\n",
			"cách khắc phục: mkdir -p DATA\n",
		}},
		{"disk nearly full", func(t *testing.T, d *doctor) {
			d.minFree = 1 << 62
		}, []string{
			"  chú ý  ổ đĩa     ổ đĩa chứa DATA chỉ còn trống ",
			" MB (dưới mức 4398046511104 MB)\n",
			"cách khắc phục: hãy dọn bớt cho ổ đĩa: chạy `apt-get clean`, `journalctl --vacuum-size=100M`, và xóa các tệp cũ bạn đã chép vào máy",
			"Không có lỗi, 2 điều cần chú ý.",
		}},
		{"clock in the past", func(t *testing.T, d *doctor) {
			d.now = func() time.Time { return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC) }
		}, []string{
			"  LỖI    đồng hồ   đồng hồ đang chỉ 2000-01-01 00:00, không thể đúng được\n",
			"cách khắc phục: bật đồng bộ giờ (`timedatectl set-ntp true`), hoặc chỉnh giờ bằng tay: `date -s '2026-11-27 08:00'`; nếu máy mất giờ mỗi lần mất điện, hãy thay pin trên bo mạch chủ",
		}},
		{"config field out of range", func(t *testing.T, d *doctor) {
			writeDoctorConfig(t, d.configPath, "commune:\n  name: Ea Kao\nidle:\n  warning_seconds: 5\n")
		}, []string{
			"  LỖI    cấu hình  tệp cấu hình CONFIG có lỗi ở idle.warning_seconds: 5 nằm ngoài khoảng 30..600 (người dân cần ít nhất 30 giây để trả lời) (dòng 4)\n",
			"cách khắc phục: sửa trường ghi bên trên trong tệp CONFIG (tệp mẫu: /usr/share/doc/tramso/config.example.yaml)",
			"chú ý  máy chủ   bỏ qua: tệp cấu hình bị lỗi",
			"1 lỗi, 1 điều cần chú ý. Hãy sửa các lỗi, rồi chạy lại `tramso doctor`.",
		}},
		{"config field misspelt", func(t *testing.T, d *doctor) {
			writeDoctorConfig(t, d.configPath, "commune:\n  name: Ea Kao\nidel:\n  quiet_seconds: 90\n")
		}, []string{
			"tệp cấu hình CONFIG có lỗi ở idel: không phải là trường mà tệp cấu hình biết: gõ sai chính tả, hay đặt nhầm mục? (dòng 3)\n",
		}},
		{"office hours lines it cannot read", func(t *testing.T, d *doctor) {
			appendConfig(t, d, "commune:\n  name: Ea Kao\n  offices:\n    - id: police\n      name: Công an\n      hours:\n        - \"T2-T6 7h30-11h30, 13h30-17h\"\n        - Giờ hành chính\n        - T7 17h\n")
		}, []string{
			"  chú ý  cơ quan   cơ quan \"police\": máy không đọc được giờ làm việc \"Giờ hành chính\" (dòng 11): không có giờ dạng 7h30-11h30. " +
				"Người dân sẽ thấy giờ đúng như đã gõ, không có \"Hôm nay mở cửa\" và giờ mở cửa lại\n",
			"cơ quan \"police\": máy không đọc được giờ làm việc \"T7 17h\" (dòng 12): \"17h\" không phải là khoảng giờ dạng 07:30-11:30. ",
			"cách khắc phục: viết lại trong CONFIG theo mẫu \"T2-T6 7h30-11h30, 13h30-17h\" (ngày: T2…T7 và CN, Thứ Hai…Chủ nhật hoặc Mon…Sun; " +
				"một ngày, ngày đầu và ngày cuối, hoặc liệt kê như \"T7, CN\" hay \"Thứ 2, Thứ 4, Thứ 6\", mỗi ngày một lần; sau đó là giờ); mỗi nhóm ngày một dòng, rồi khởi động lại máy\n",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := healthyDoctor(t)
			d.lang = langVi
			c.seed(t, d)
			_, out := doctorReport(d)
			for _, want := range c.want {
				want = strings.ReplaceAll(strings.ReplaceAll(want, "DATA", d.dataDir), "CONFIG", d.configPath)
				if !strings.Contains(out, want) {
					t.Errorf("report lacks %q:\n%s", want, out)
				}
			}
		})
	}
}

// TestDoctorSpeaksVietnameseByDefault: the command speaks Vietnamese unless
// told --lang en, and refuses a language it does not speak.
func TestDoctorSpeaksVietnameseByDefault(t *testing.T) {
	args := []string{"doctor", "--data", filepath.Join(t.TempDir(), "missing"), "--config", filepath.Join(t.TempDir(), "none.yaml"), "--timeout", "2s"}
	for _, c := range []struct {
		lang             []string
		out, errOut, not string
	}{
		{nil, "  LỖI    dữ liệu   chưa có thư mục dữ liệu ", "tramso: tìm thấy 4 lỗi; cách khắc phục ghi ở trên", "FAULT"},
		{[]string{"--lang", "vi"}, "cách khắc phục: mkdir -p ", "cách khắc phục ghi ở trên", "fix:"},
		{[]string{"--lang", "en"}, "  FAULT  data     ", "tramso: doctor found 4 fault(s); the fixes are listed above", "LỖI"},
	} {
		var out, errOut bytes.Buffer
		code := Main(append(append([]string{}, args[0]), append(c.lang, args[1:]...)...), Env{Stdout: &out, Stderr: &errOut})
		if code != 1 || !strings.Contains(out.String(), c.out) || !strings.Contains(errOut.String(), c.errOut) || strings.Contains(out.String(), c.not) {
			t.Errorf("%v: exit %d\n%s\n%s", c.lang, code, out.String(), errOut.String())
		}
	}
	var out, errOut bytes.Buffer
	if code := Main(append([]string{"doctor", "--lang", "fr"}, args[1:]...), Env{Stdout: &out, Stderr: &errOut}); code == 0 || !strings.Contains(errOut.String(), `--lang "fr"`) {
		t.Errorf("--lang fr: exit %d\n%s%s", code, out.String(), errOut.String())
	}
}

// TestDoctorCatalogueIsWhole reads doctor's sources: every sentence it can
// print (each msg format) has its Vietnamese, with the same arguments, and
// the catalogue holds nothing doctor no longer says.
func TestDoctorCatalogueIsWhole(t *testing.T) {
	known := map[string]string{"store.ReadOnlyAdvice": store.ReadOnlyAdvice, "hours.LineForm": hours.LineForm}
	files, _ := filepath.Glob("doctor*.go")
	fset := token.NewFileSet()
	used := map[string]bool{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "msg" {
				return true
			}
			format, ok := constantString(call.Args[0], known)
			if !ok {
				t.Errorf("%s: msg's format is not a constant the catalogue can hold", fset.Position(call.Pos()))
				return true
			}
			used[format] = true
			if _, ok := doctorVi[format]; !ok {
				t.Errorf("%s: no Vietnamese for %q", fset.Position(call.Pos()), format)
			}
			return true
		})
	}
	for en, vi := range doctorVi {
		if !used[en] {
			t.Errorf("doctorVi holds %q, which doctor no longer says", en)
			continue
		}
		args := sampleArgs(en)
		for _, s := range []string{fmt.Sprintf(en, args...), fmt.Sprintf(vi, args...)} {
			if len(args) > 0 && strings.Contains(s, "%!") {
				t.Errorf("the arguments of %q do not fit its Vietnamese %q: %s", en, vi, s)
			}
		}
		if strings.Count(en, "%") != strings.Count(regexp.MustCompile(`%\[\d+\]`).ReplaceAllString(vi, "%"), "%") {
			t.Errorf("%q and its Vietnamese %q take different arguments", en, vi)
		}
	}
}

// constantString evaluates a format written as string literals, joined
// with +, or as one of the known constants of other packages.
func constantString(e ast.Expr, known map[string]string) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		l, ok1 := constantString(e.X, known)
		r, ok2 := constantString(e.Y, known)
		return l + r, ok1 && ok2 && e.Op == token.ADD
	case *ast.SelectorExpr:
		if pkg, ok := e.X.(*ast.Ident); ok {
			s, ok := known[pkg.Name+"."+e.Sel.Name]
			return s, ok
		}
	}
	return "", false
}

var verb = regexp.MustCompile(`%[-+# 0]*\d*(?:\.\d+)?([a-zA-Z%])`)

// sampleArgs are arguments of the right kinds for an English format.
func sampleArgs(format string) []any {
	var args []any
	for _, m := range verb.FindAllStringSubmatch(format, -1) {
		switch m[1] {
		case "%":
		case "d":
			args = append(args, 7)
		case "f":
			args = append(args, 1.5)
		default:
			args = append(args, "x")
		}
	}
	return args
}

// TestDoctorAdvisesAsEnrollDoes: doctor's advice on an untrusted hub
// certificate is enroll's, word for word in English.
func TestDoctorAdvisesAsEnrollDoes(t *testing.T) {
	for _, ca := range []string{"", "/etc/tramso/hub-ca.pem"} {
		if got, want := untrustedHubFix(ca, "/etc/tramso/config.yaml").String(), untrustedHub(ca, "/etc/tramso/config.yaml"); got != want {
			t.Errorf("doctor says %q, enroll %q", got, want)
		}
	}
}
