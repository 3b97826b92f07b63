package cli

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"tramso/kiosk/config"
	"tramso/kiosk/staffpin"
)

// stdin is where staff-pin reads the PIN; tests replace it.
var stdin io.Reader = os.Stdin

var cmdStaffPIN = &command{
	name:    "staff-pin",
	summary: "set the staff-mode PIN (stored in the config file as an argon2id hash)",
	usage:   "[--config FILE] [--create-config] [--pin-stdin]",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		path := fs.String("config", "", "config file to write (default "+config.DefaultPath()+")")
		create := fs.Bool("create-config", false, "write a new config when --config names one that does not exist")
		fromStdin := fs.Bool("pin-stdin", false, "read the PIN once from standard input, without asking twice (scripts)")
		return func(env *Env) error {
			p := *path
			if p == "" {
				p = config.DefaultPath()
			}
			if err := requireConfigFile(p, *path != "", *create); err != nil {
				return err
			}
			return setStaffPIN(env, p, *fromStdin)
		}
	},
}

func setStaffPIN(env *Env, path string, fromStdin bool) error {
	if err := checkCanWrite(path); err != nil {
		return adviseSudo(err, "staff-pin", "staff-pin --config "+path)
	}
	pin, err := readNewPIN(env, fromStdin)
	if err != nil {
		return err
	}
	hash, err := staffpin.Hash(pin)
	if err != nil {
		return err
	}
	if err := writePINHash(path, hash); err != nil {
		return adviseSudo(err, "staff-pin", "staff-pin --config "+path)
	}
	fmt.Fprintf(env.Stdout, "staff PIN set in %s (restart the kiosk to use it)\n", path)
	return nil
}

// readNewPIN asks for the PIN twice on a terminal (echo off), or reads one
// line with --pin-stdin.
func readNewPIN(env *Env, fromStdin bool) (string, error) {
	in := bufio.NewReader(stdin)
	if fromStdin {
		pin, err := readLine(in)
		if err != nil {
			return "", fmt.Errorf("read PIN from standard input: %w", err)
		}
		return pin, checkPIN(pin)
	}
	restore := echoOff()
	defer restore()
	fmt.Fprintf(env.Stderr, "New staff PIN (%d-%d digits): ", staffpin.MinLen, staffpin.MaxLen)
	pin, err := readLine(in)
	fmt.Fprintln(env.Stderr)
	if errors.Is(err, io.EOF) { // no terminal: a script, a unit, ssh without -t
		return "", advise(errors.New("no PIN was typed (standard input ended)"),
			"From a script, give the PIN on standard input with --pin-stdin: printf '%s\\n' \"$PIN\" | sudo tramso staff-pin --pin-stdin")
	}
	if err != nil {
		return "", fmt.Errorf("read PIN: %w", err)
	}
	if err := checkPIN(pin); err != nil {
		return "", err
	}
	fmt.Fprint(env.Stderr, "Same PIN again: ")
	again, err := readLine(in)
	fmt.Fprintln(env.Stderr)
	if err != nil {
		return "", fmt.Errorf("read PIN: %w", err)
	}
	if again != pin {
		return "", errors.New("the two PINs differ; nothing was changed")
	}
	return pin, nil
}

func checkPIN(pin string) error {
	if err := staffpin.Valid(pin); err != nil {
		return usagef("%v", err)
	}
	if err := staffpin.Obvious(pin); err != nil {
		return usagef("%v; nothing was changed", err)
	}
	return nil
}

func readLine(r *bufio.Reader) (string, error) {
	line, err := r.ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", err
	}
	return strings.TrimSpace(line), nil
}

// echoOff hides what is typed when stdin is a terminal; it returns the
// function that shows it again. Off a terminal it does nothing.
func echoOff() func() {
	f, ok := stdin.(*os.File)
	if !ok || !terminal(f) {
		return func() {}
	}
	stty := func(arg string) {
		cmd := exec.Command("stty", arg)
		cmd.Stdin = f
		_ = cmd.Run()
	}
	stty("-echo")
	return func() { stty("echo") }
}

// writePINHash sets staff.pin_hash in the config file, keeping everything
// else in it (other settings, comments, order), and checks that the result is
// still a valid config before replacing the file. A missing file is created.
// The file keeps its owner, group and mode as enroll keeps them: the package
// makes it root:tramso 0640, and a root-owned copy left the kiosk's user
// unable to read its own config (outside QA, s20).
func writePINHash(path, hash string) error {
	old, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		old = nil
	case err != nil:
		return fmt.Errorf("read config %s: %w", path, err)
	}
	out, err := setYAMLKey(old, []string{"staff", "pin_hash"}, hash)
	if err != nil {
		return fmt.Errorf("config %s: %w", path, err)
	}
	if _, err := config.Parse(bytes.NewReader(out)); err != nil {
		return fmt.Errorf("config %s would not be valid after setting the PIN: %w", path, err)
	}
	if err := writeFileLike(path, out); err != nil {
		return fmt.Errorf("config %s: %w", path, err)
	}
	return nil
}

// checkCanWrite tells a person without root before the PIN is typed twice:
// the config is root's, so staff-pin needs sudo like enroll.
func checkCanWrite(path string) error {
	if err := probeWrite(filepath.Dir(path)); errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("cannot write the config %s: %w", path, fs.ErrPermission)
	}
	if err := canRead(path); errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("cannot read the config %s: %w", path, err)
	}
	return nil
}

// adviseSudo adds the fix to a permission error of a person without root
// running cmd, a command that writes the config: sudo tramso again.
func adviseSudo(err error, cmd, again string) error {
	if errors.Is(err, fs.ErrPermission) && os.Geteuid() != 0 {
		return advise(err, "Run "+cmd+" as root: sudo tramso "+again)
	}
	return err
}

// setYAMLKey sets the scalar at keys (a path of mapping keys) in a YAML
// document, creating mappings on the way, and renders the document again.
func setYAMLKey(doc []byte, keys []string, value string) ([]byte, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(doc, &root); err != nil {
		return nil, fmt.Errorf("not valid YAML: %w", err)
	}
	if root.Kind == 0 {
		root = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode}}}
	}
	node := root.Content[0]
	if node.Kind == yaml.ScalarNode && node.Tag == "!!null" {
		*node = yaml.Node{Kind: yaml.MappingNode}
	}
	for i, key := range keys {
		if node.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("%s is not a mapping", strings.Join(keys[:i], "."))
		}
		var next *yaml.Node
		for j := 0; j+1 < len(node.Content); j += 2 {
			if node.Content[j].Value == key {
				next = node.Content[j+1]
				break
			}
		}
		if next == nil {
			next = &yaml.Node{Kind: yaml.MappingNode}
			node.Content = append(node.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, next)
		}
		if i == len(keys)-1 {
			*next = yaml.Node{Kind: yaml.ScalarNode, Value: value, Style: yaml.DoubleQuotedStyle, LineComment: next.LineComment}
		} else if next.Kind == yaml.ScalarNode && (next.Tag == "!!null" || next.Value == "") {
			*next = yaml.Node{Kind: yaml.MappingNode}
		}
		node = next
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&root); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
