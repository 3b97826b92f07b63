package speech

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/config"
)

// sentence is a typical line of a screen: twelve Vietnamese words.
const sentence = "Bà con mang căn cước đến Ủy ban nhân dân xã nhé."

func defaults() config.Speech { return config.Default().Speech }

// realEngine is the installed espeak-ng the tests speak with.
func realEngine(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("espeak-ng")
	if err != nil {
		t.Fatalf("the tests need espeak-ng (apt-get install espeak-ng): %v", err)
	}
	return path
}

// counted is the real espeak-ng behind a small shell script that notes each
// run in dir/runs and, while dir/hold exists, waits before speaking: tests
// count processes and hold them running without any timing.
type counted struct {
	t   *testing.T
	dir string
}

func newCounted(t *testing.T) *counted {
	t.Helper()
	dir := t.TempDir()
	script := "#!/bin/sh\n" +
		"echo run >> '" + dir + "/runs'\n" +
		"while [ -e '" + dir + "/hold' ]; do sleep 0.01; done\n" +
		"exec '" + realEngine(t) + "' \"$@\"\n"
	if err := os.WriteFile(filepath.Join(dir, "espeak-ng"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return &counted{t, dir}
}

func (c *counted) engine() *Engine {
	cfg := defaults()
	cfg.Engine = filepath.Join(c.dir, "espeak-ng")
	return New(cfg)
}

func (c *counted) runs() int {
	b, err := os.ReadFile(filepath.Join(c.dir, "runs"))
	if errors.Is(err, os.ErrNotExist) {
		return 0
	} else if err != nil {
		c.t.Fatal(err)
	}
	return strings.Count(string(b), "\n")
}

func (c *counted) hold() {
	if err := os.WriteFile(filepath.Join(c.dir, "hold"), nil, 0o644); err != nil {
		c.t.Fatal(err)
	}
}

func (c *counted) release() { os.Remove(filepath.Join(c.dir, "hold")) }

// eventually waits until cond holds. The limit only turns a hang into a
// clear failure; nothing here is a speed requirement.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for limit := time.Now().Add(60 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(limit) {
			t.Fatalf("still waiting for %s", what)
		}
	}
}

type result struct {
	wav []byte
	err error
}

func sayAsync(ctx context.Context, e *Engine, lang, text string) chan result {
	ch := make(chan result, 1)
	go func() {
		wav, err := e.Say(ctx, lang, text)
		ch <- result{wav, err}
	}()
	return ch
}

// checkWAV wants a well-formed PCM WAV whose header sizes are the real ones.
func checkWAV(t *testing.T, wav []byte) Format {
	t.Helper()
	f, err := ParseWAV(wav)
	if err != nil {
		t.Fatalf("not a WAV: %v", err)
	}
	if string(wav[:4]) != "RIFF" || string(wav[8:12]) != "WAVE" {
		t.Fatalf("header %q", wav[:12])
	}
	if riff := binary.LittleEndian.Uint32(wav[4:8]); int(riff) != len(wav)-8 {
		t.Errorf("RIFF size %d, file is %d bytes", riff, len(wav))
	}
	if f.DataBytes == 0 || f.Duration() <= 0 {
		t.Errorf("no samples: %+v", f)
	}
	if i := bytes.Index(wav, []byte("data")); i < 0 || int(binary.LittleEndian.Uint32(wav[i+4:])) != len(wav)-i-8 {
		t.Errorf("data chunk size does not match the samples")
	}
	return f
}

func TestSayMakesWAV(t *testing.T) {
	e := New(defaults())
	if got := e.Voices(); strings.Join(got, ",") != "vi,en" {
		t.Fatalf("Voices() = %v, want [vi en]", got)
	}
	cases := []struct{ lang, short, long string }{
		{"vi", "Xin chào.", "Xin chào bà con. " + sentence + " Trung tâm Phục vụ hành chính công mở cửa từ thứ Hai đến thứ Sáu."},
		{"en", "Hello.", "Hello. Bring your identity card to the commune office. It opens from Monday to Friday."},
	}
	for _, c := range cases {
		t.Run(c.lang, func(t *testing.T) {
			short, err := e.Say(context.Background(), c.lang, c.short)
			if err != nil {
				t.Fatal(err)
			}
			long, err := e.Say(context.Background(), c.lang, c.long)
			if err != nil {
				t.Fatal(err)
			}
			fs, fl := checkWAV(t, short), checkWAV(t, long)
			if fl.Duration() <= 2*fs.Duration() {
				t.Errorf("a long text lasts %s, a short one %s: duration must grow with the text", fl.Duration(), fs.Duration())
			}
		})
	}
}

// TestSayReadsTextNeverObeysIt: the text goes on stdin, so options, shell
// syntax and line breaks are read out like any other words.
func TestSayReadsTextNeverObeysIt(t *testing.T) {
	e := New(defaults())
	dir := t.TempDir()
	victim := filepath.Join(dir, "written.wav")
	cases := []string{
		"-w " + victim,
		"--help",
		"-v en --stdout",
		"$(touch " + victim + ")",
		"`touch " + victim + "`; touch " + victim + " && echo | cat > " + victim,
		"Dòng một\nDòng hai\r\n-w " + victim,
		"<speak>thẻ</speak> [[h@'loU]]",
	}
	for _, text := range cases {
		wav, err := e.Say(context.Background(), "vi", text)
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		checkWAV(t, wav)
	}
	if _, err := os.Stat(victim); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a text was obeyed: %s exists (%v)", victim, err)
	}
}

func TestSayErrors(t *testing.T) {
	on := New(defaults())
	off := defaults()
	off.Engine = config.SpeechOff
	missing := defaults()
	missing.Engine = "/nonexistent/espeak-ng"
	notOnPath := defaults()
	notOnPath.Engine = "espeak-ng-not-installed"
	cases := []struct {
		name       string
		e          *Engine
		lang, text string
		want       error
		says       string
	}{
		{"engine off", New(off), "vi", "Xin chào", ErrOff, ""},
		{"engine missing", New(missing), "vi", "Xin chào", ErrOff, ""},
		{"engine not on PATH", New(notOnPath), "vi", "Xin chào", ErrOff, ""},
		{"no voice for Ê Đê", on, "rad", "Ih mơ̆ng", ErrNoVoice, "rad"},
		{"unknown language", on, "fr", "Bonjour", ErrNoVoice, "fr"},
		{"empty", on, "vi", "", ErrText, "empty"},
		{"only spaces", on, "vi", " \t\n\u00a0 ", ErrText, "empty"},
		{"too long", on, "vi", strings.Repeat("á", MaxRunes+1), ErrText, "more than 1000"},
		{"invalid UTF-8", on, "vi", "Xin ch\xe0o", ErrText, "UTF-8"},
		{"NUL", on, "vi", "Xin\x00chào", ErrText, "U+0000"},
		{"escape", on, "vi", "Xin \x1b[31mchào", ErrText, "U+001B"},
		{"DEL", on, "vi", "Xin\x7f", ErrText, "U+007F"},
		{"C1 control", on, "vi", "Xin\u009bchào", ErrText, "U+009B"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wav, err := c.e.Say(context.Background(), c.lang, c.text)
			if !errors.Is(err, c.want) || wav != nil {
				t.Fatalf("got %v (%d bytes), want %v", err, len(wav), c.want)
			}
			if !strings.Contains(err.Error(), c.says) {
				t.Errorf("error %q does not say %q", err, c.says)
			}
			if c.text != "" && len(c.text) > 3 && strings.Contains(err.Error(), c.text) {
				t.Errorf("error %q repeats the text", err)
			}
		})
	}
	for _, e := range []*Engine{New(off), New(missing)} {
		if v := e.Voices(); v == nil || len(v) != 0 {
			t.Errorf("an engine that is off or missing speaks %v, want []", v)
		}
		if e.Why() == "" {
			t.Error("an engine that is off must say why")
		}
	}
	if l := (&Engine{}).Voices(); len(l) != 0 {
		t.Errorf("zero engine speaks %v", l)
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"  Xin   chào\n\tbà con  ": "Xin chào bà con",
		"Một\u00a0hai\r\nba":       "Một hai ba",
		"-w x":                     "-w x",
	} {
		if got, err := Normalize(in); err != nil || got != want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	// Whitespace does not count against the limit: letters do.
	if _, err := Normalize(strings.Repeat("a", MaxRunes) + strings.Repeat(" ", 5000)); err != nil {
		t.Errorf("trailing spaces counted: %v", err)
	}
}

// TestEngineFailures: a broken engine or voice is an error that says what
// the engine said, and is not cached.
func TestEngineFailures(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken")
	os.WriteFile(broken, []byte("#!/bin/sh\necho 'espeak-ng: cannot open data' >&2\nexit 3\n"), 0o755)
	silent := filepath.Join(dir, "silent")
	os.WriteFile(silent, []byte("#!/bin/sh\ncat >/dev/null\nprintf 'not audio'\n"), 0o755)
	badVoice := defaults()
	badVoice.Voices = map[string]string{"vi": "zzqq"}
	cases := []struct {
		name string
		cfg  config.Speech
		says string
	}{
		{"engine exits 3", config.Speech{Engine: broken, Rate: 140, Voices: map[string]string{"vi": "vi"}}, "cannot open data"},
		{"engine writes no WAV", config.Speech{Engine: silent, Rate: 140, Voices: map[string]string{"vi": "vi"}}, "not a RIFF/WAVE"},
		{"voice the engine lacks", badVoice, "voice does not exist"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := New(c.cfg)
			_, err := e.Say(context.Background(), "vi", sentence)
			if err == nil || errors.Is(err, ErrOff) || errors.Is(err, ErrNoVoice) || errors.Is(err, ErrText) {
				t.Fatalf("want an engine failure, got %v", err)
			}
			if !strings.Contains(err.Error(), c.says) || strings.Contains(err.Error(), "căn cước") {
				t.Errorf("error %q should say %q and never the text", err, c.says)
			}
			if e.cache.len() != 0 {
				t.Error("a failure was cached")
			}
		})
	}
}

func TestCacheHitDoesNotRunTheEngine(t *testing.T) {
	c := newCounted(t)
	e := c.engine()
	first, err := e.Say(context.Background(), "vi", sentence)
	if err != nil {
		t.Fatal(err)
	}
	// The same words with other spacing are the same line.
	again, err := e.Say(context.Background(), "vi", "  "+strings.ReplaceAll(sentence, " ", "\n ")+" ")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, again) || c.runs() != 1 {
		t.Fatalf("runs = %d after a cache hit, want 1", c.runs())
	}
	// Another voice is another line.
	if _, err := e.Say(context.Background(), "en", sentence); err != nil {
		t.Fatal(err)
	}
	if c.runs() != 2 {
		t.Fatalf("runs = %d, want 2", c.runs())
	}
}

// TestIdenticalRequestsShareOneSynthesis: five players asking for the same
// line at once start one engine process.
func TestIdenticalRequestsShareOneSynthesis(t *testing.T) {
	c := newCounted(t)
	c.hold()
	e := c.engine()
	var chans []chan result
	for range 5 {
		chans = append(chans, sayAsync(context.Background(), e, "vi", sentence))
	}
	key := e.voices["vi"] + "\x00" + e.rate + "\x00" + sentence
	eventually(t, "five waiters on one synthesis", func() bool {
		e.mu.Lock()
		defer e.mu.Unlock()
		f := e.flights[key]
		return f != nil && f.waiters == 5
	})
	c.release()
	var first []byte
	for _, ch := range chans {
		r := <-ch
		if r.err != nil {
			t.Fatal(r.err)
		}
		if first == nil {
			checkWAV(t, r.wav)
			first = r.wav
		}
		if !bytes.Equal(first, r.wav) {
			t.Fatal("shared synthesis gave different audio")
		}
	}
	if c.runs() != 1 {
		t.Fatalf("runs = %d, want 1", c.runs())
	}
}

// TestConcurrencyLimitAndCancel: two engine processes at most; a request
// waiting for a slot stops when its context ends, without ever running.
func TestConcurrencyLimitAndCancel(t *testing.T) {
	c := newCounted(t)
	c.hold()
	e := c.engine()
	words := []string{"một", "hai", "ba", "bốn", "năm"}
	var chans []chan result
	for _, w := range words[:2] {
		chans = append(chans, sayAsync(context.Background(), e, "vi", w))
	}
	eventually(t, "two engine processes", func() bool { return c.runs() == 2 })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	waiting := sayAsync(ctx, e, "vi", words[2])
	for _, w := range words[3:] {
		chans = append(chans, sayAsync(context.Background(), e, "vi", w))
	}
	eventually(t, "three requests waiting for a slot", func() bool { return e.waiting.Load() == 3 })
	if c.runs() != 2 {
		t.Fatalf("%d engine processes started with 2 slots", c.runs())
	}
	cancel()
	if r := <-waiting; !errors.Is(r.err, context.Canceled) || r.wav != nil {
		t.Fatalf("cancelled request: %v", r.err)
	}
	eventually(t, "the cancelled request to leave the queue", func() bool { return e.waiting.Load() == 2 })
	c.release()
	for _, ch := range chans {
		if r := <-ch; r.err != nil {
			t.Fatal(r.err)
		}
	}
	if c.runs() != 4 {
		t.Fatalf("runs = %d, want 4: the cancelled request must never run", c.runs())
	}
}

// TestLastWaiterLeavingStopsTheEngine: nobody listening, nothing spoken; the
// next identical request starts afresh instead of joining the stopped one.
func TestLastWaiterLeavingStopsTheEngine(t *testing.T) {
	c := newCounted(t)
	c.hold()
	e := c.engine()
	ctx, cancel := context.WithCancel(context.Background())
	ch := sayAsync(ctx, e, "vi", sentence)
	eventually(t, "the engine to start", func() bool { return c.runs() == 1 })
	cancel()
	if r := <-ch; !errors.Is(r.err, context.Canceled) {
		t.Fatalf("got %v", r.err)
	}
	eventually(t, "the slot to be given back", func() bool { return len(e.sem) == 0 })
	c.release()
	wav, err := e.Say(context.Background(), "vi", sentence)
	if err != nil {
		t.Fatal(err)
	}
	checkWAV(t, wav)
	if c.runs() != 2 || e.cache.len() != 1 {
		t.Fatalf("runs = %d, cached = %d; want 2, 1", c.runs(), e.cache.len())
	}
}

func TestLRUIsBoundedByBytes(t *testing.T) {
	c := newLRU(100)
	add := func(k string, n int) { c.add(k, make([]byte, n-len(k))) }
	add("a", 40)
	add("b", 40)
	if _, ok := c.get("a"); !ok { // a is now the most recent
		t.Fatal("a missing")
	}
	add("c", 40) // over 100: b, the least recently used, goes
	if _, ok := c.get("b"); ok {
		t.Error("b should have been evicted")
	}
	for _, k := range []string{"a", "c"} {
		if _, ok := c.get(k); !ok {
			t.Errorf("%s evicted", k)
		}
	}
	add("big", 101) // bigger than the cache: not kept, nothing evicted
	if _, ok := c.get("big"); ok || c.len() != 2 {
		t.Errorf("oversized line kept, or others dropped (len %d)", c.len())
	}
	add("a", 60) // replacing a line counts its new size once
	if c.size > c.max || c.size != 100 {
		t.Errorf("size %d, max %d", c.size, c.max)
	}
}

func TestParseWAVRejectsWhatIsNotAudio(t *testing.T) {
	good, err := New(defaults()).Say(context.Background(), "vi", "Xin chào")
	if err != nil {
		t.Fatal(err)
	}
	header := append([]byte(nil), good[:44]...)
	cases := map[string][]byte{
		"empty":        nil,
		"text":         []byte("Error: The specified espeak-ng voice does not exist.\n"),
		"no data":      header[:36],
		"no samples":   header,
		"not PCM":      append(append(append([]byte(nil), good[:20]...), 3, 0), good[22:]...),
		"data first":   append([]byte("RIFF\x00\x00\x00\x00WAVEdata\x02\x00\x00\x00\x01\x02"), good[12:]...),
		"short fmt":    []byte("RIFF\x00\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00"),
		"riff not wav": append([]byte("RIFF\x00\x00\x00\x00AVI "), good[12:]...),
	}
	for name, b := range cases {
		if _, err := ParseWAV(b); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestCappedOutput(t *testing.T) {
	c := &capped{max: 4}
	if _, err := c.Write([]byte("abcde")); !errors.Is(err, errTooBig) {
		t.Fatalf("over the cap: %v", err)
	}
	q := &capped{max: 4, quiet: true}
	if n, err := q.Write([]byte("abcdef")); err != nil || n != 6 || q.buf.String() != "abcd" {
		t.Fatalf("quiet cap: %d %v %q", n, err, q.buf.String())
	}
}

// BenchmarkSay: the kiosk's voice for one typical line, synthesised (cold)
// and from the cache.
//
//	go test -run '^$' -bench Say -benchtime 20x ./kiosk/speech/
func BenchmarkSay(b *testing.B) {
	realEngine(b)
	b.Run("cold", func(b *testing.B) {
		var audio time.Duration
		for b.Loop() {
			e := New(defaults()) // a fresh cache every time
			wav, err := e.Say(context.Background(), "vi", sentence)
			if err != nil {
				b.Fatal(err)
			}
			f, _ := ParseWAV(wav)
			audio = f.Duration()
		}
		b.ReportMetric(audio.Seconds(), "audio-s")
	})
	b.Run("cached", func(b *testing.B) {
		e := New(defaults())
		if _, err := e.Say(context.Background(), "vi", sentence); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := e.Say(context.Background(), "vi", sentence); err != nil {
				b.Fatal(err)
			}
		}
	})
}
