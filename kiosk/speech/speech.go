// Package speech is the kiosk's own voice: it reads any screen text aloud on
// the device with espeak-ng, for the screens that have no recorded narration
// (home, search, procedure results with the commune's address…). Recordings
// from the content pack stay preferred; the UI decides which to play.
//
// The text may be what a resident is looking at, so it is treated like the
// rest of a session: kept in memory only (a small cache), never written to
// disk, never logged, and passed to the engine on stdin, never as an argument.
package speech

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"tramso/kiosk/config"
	"tramso/kiosk/lang"
)

// Errors Say returns; test them with errors.Is.
var (
	// ErrOff: speech is turned off (speech.engine: off) or the engine is not installed.
	ErrOff = errors.New("the kiosk's voice is off or its speech engine is not installed")
	// ErrNoVoice: no voice is configured for the language.
	ErrNoVoice = errors.New("no voice for this language")
	// ErrText: the text cannot be spoken; the wrapped message says why.
	ErrText = errors.New("text")
)

// MaxRunes bounds one text: the UI sends a screen line by line, and cuts long
// lines at sentence ends well below this.
const MaxRunes = 1000

const (
	maxProcs  = 2                // synthesis processes at once: the kiosk has 2 cores and a UI to paint
	timeout   = 15 * time.Second // one synthesis, at most
	maxWAV    = 32 << 20         // engine output cap: 1000 runes is ~4 MB
	maxStderr = 4 << 10
)

// cacheBytes bounds the spoken lines kept in memory: ~90 s of speech, the
// screen being read and the last few (going back, "read again", the player's
// range requests). A line is made again in ~35 ms (BenchmarkSay), while every
// MiB kept costs about two in the window process (the Go heap grows to twice
// what it holds): at 32 MiB, twenty screens read aloud grew it by ~20 MiB.
const cacheBytes = 4 << 20

// Engine speaks text with an external speech engine (espeak-ng). It is safe
// for concurrent use.
type Engine struct {
	path   string            // the engine's resolved path; "" when off or missing
	rate   string            // words per minute, as the -s argument
	voices map[string]string // session language → engine voice
	why    string            // why the engine is off, for doctor and logs

	sem     chan struct{} // bounds running processes
	waiting atomic.Int32  // requests waiting for a process slot (tests read it)

	mu      sync.Mutex
	cache   *lru
	flights map[string]*flight // syntheses under way, shared by identical requests
}

// flight is one synthesis that every identical request waits for. It stops
// early when all of them have gone.
type flight struct {
	done    chan struct{}
	wav     []byte
	err     error
	waiters int
	cancel  context.CancelFunc
}

// New looks the engine up once; Voices and Say reflect what it found.
func New(cfg config.Speech) *Engine {
	e := &Engine{
		rate:    strconv.Itoa(cfg.Rate),
		voices:  map[string]string{},
		sem:     make(chan struct{}, maxProcs),
		cache:   newLRU(cacheBytes),
		flights: map[string]*flight{},
	}
	for lang, voice := range cfg.Voices {
		e.voices[lang] = voice
	}
	switch {
	case cfg.Engine == config.SpeechOff:
		e.why = "speech.engine is off"
	case cfg.Engine == "":
		e.why = "speech.engine is empty"
	default:
		path, err := exec.LookPath(cfg.Engine)
		if err != nil {
			e.why = fmt.Sprintf("speech engine %q is not installed: %v", cfg.Engine, err)
		} else {
			e.path = path
		}
	}
	return e
}

// Path is the engine's resolved path, "" when speech is off or it is missing.
func (e *Engine) Path() string { return e.path }

// Why says why speech is off ("" when it is on).
func (e *Engine) Why() string { return e.why }

// Voices lists the session languages the kiosk can speak, in the order of
// lang.Known; none when speech is off or the engine is missing.
func (e *Engine) Voices() []string {
	out := []string{}
	if e == nil || e.path == "" {
		return out
	}
	for _, code := range lang.Known {
		if _, ok := e.voices[code]; ok {
			out = append(out, code)
		}
	}
	return out
}

// Voice is the engine voice configured for lang, if any.
func (e *Engine) Voice(lang string) (string, bool) {
	v, ok := e.voices[lang]
	return v, ok
}

// Say returns text spoken in lang as a WAV file (16-bit PCM, mono). The
// slice is shared with the cache: callers must not change it.
func (e *Engine) Say(ctx context.Context, lang, text string) ([]byte, error) {
	text, err := Normalize(text)
	if err != nil {
		return nil, err
	}
	if e == nil || e.path == "" {
		return nil, ErrOff
	}
	voice, ok := e.voices[lang]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrNoVoice, lang)
	}
	key := voice + "\x00" + e.rate + "\x00" + text

	e.mu.Lock()
	if wav, ok := e.cache.get(key); ok {
		e.mu.Unlock()
		return wav, nil
	}
	f := e.flights[key]
	if f == nil {
		fctx, cancel := context.WithCancel(context.Background())
		f = &flight{done: make(chan struct{}), cancel: cancel}
		e.flights[key] = f
		go e.fly(fctx, key, voice, text, f)
	}
	f.waiters++
	e.mu.Unlock()

	select {
	case <-f.done:
		return f.wav, f.err
	case <-ctx.Done():
		e.leave(key, f)
		return nil, ctx.Err()
	}
}

// leave drops one waiter; the last one to go stops the synthesis, and a later
// identical request starts afresh rather than joining a cancelled one.
func (e *Engine) leave(key string, f *flight) {
	e.mu.Lock()
	defer e.mu.Unlock()
	f.waiters--
	if f.waiters == 0 {
		f.cancel()
		if e.flights[key] == f {
			delete(e.flights, key)
		}
	}
}

// fly runs one synthesis for everyone waiting on f, and caches a success.
func (e *Engine) fly(ctx context.Context, key, voice, text string, f *flight) {
	wav, err := e.synth(ctx, voice, text)
	e.mu.Lock()
	if err == nil {
		e.cache.add(key, wav)
	}
	if e.flights[key] == f {
		delete(e.flights, key)
	}
	f.wav, f.err = wav, err
	e.mu.Unlock()
	close(f.done)
	f.cancel()
}

// synth waits for a process slot, then runs the engine once. The text goes
// on stdin, so a text such as "-w /etc/x" is read out, never obeyed.
func (e *Engine) synth(ctx context.Context, voice, text string) ([]byte, error) {
	e.waiting.Add(1)
	select {
	case e.sem <- struct{}{}:
		e.waiting.Add(-1)
	case <-ctx.Done():
		e.waiting.Add(-1)
		return nil, ctx.Err()
	}
	defer func() { <-e.sem }()

	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, e.path, "-v", voice, "-s", e.rate, "-b", "1", "--stdout")
	cmd.Stdin = strings.NewReader(text + "\n")
	out := &capped{max: maxWAV}
	errOut := &capped{max: maxStderr, quiet: true}
	cmd.Stdout, cmd.Stderr = out, errOut
	cmd.WaitDelay = 2 * time.Second // a stray child holding the pipes cannot hang us
	runErr := cmd.Run()
	switch {
	case ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded):
		return nil, fmt.Errorf("speech engine took longer than %s", timeout)
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case runErr != nil:
		return nil, fmt.Errorf("speech engine (voice %s): %v%s", voice, runErr, stderrNote(errOut))
	}
	wav, err := fixWAV(out.buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("speech engine (voice %s) gave no audio: %v%s", voice, err, stderrNote(errOut))
	}
	return wav, nil
}

// stderrNote is the engine's first line of complaint (espeak-ng says "voice
// does not exist" there and still exits 0). It names voices, never the text.
func stderrNote(c *capped) string {
	line, _, _ := strings.Cut(strings.TrimSpace(c.buf.String()), "\n")
	if line == "" {
		return ""
	}
	if r := []rune(line); len(r) > 200 {
		line = string(r[:200]) + "…"
	}
	return ": " + line
}

// capped is a buffer that refuses to grow past max (or, quiet, drops the rest).
type capped struct {
	buf   bytes.Buffer
	max   int
	quiet bool
}

var errTooBig = errors.New("speech engine output is too large")

func (c *capped) Write(p []byte) (int, error) {
	if room := c.max - c.buf.Len(); len(p) > room {
		if !c.quiet {
			return 0, errTooBig
		}
		c.buf.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return c.buf.Write(p)
}

// Normalize checks text and collapses its whitespace: what is spoken and
// what is cached. Errors wrap ErrText and say what is wrong, never the text.
func Normalize(text string) (string, error) {
	if !utf8.ValidString(text) {
		return "", fmt.Errorf("%w: is not valid UTF-8", ErrText)
	}
	for _, r := range text {
		if unicode.IsControl(r) && !unicode.IsSpace(r) {
			return "", fmt.Errorf("%w: contains a control character (U+%04X)", ErrText, r)
		}
	}
	text = strings.Join(strings.Fields(text), " ")
	switch n := utf8.RuneCountInString(text); {
	case n == 0:
		return "", fmt.Errorf("%w: is empty", ErrText)
	case n > MaxRunes:
		return "", fmt.Errorf("%w: has %d characters, more than %d", ErrText, n, MaxRunes)
	}
	return text, nil
}
