package tool

import (
	"os"
	"os/exec"
	"testing"
)

func TestTool(t *testing.T) {
	exec.Command("go", "version").Run()
	exec.Command("frobnicate", "--now").Run()
	bin := os.Getenv("TOOL_BIN")
	exec.Command(bin).Run()
	exec.Command(os.Args[0], "-test.run=^$").Run()
}
