package cli

import (
	"flag"
)

// cmdPack groups the content-pack commands the province team and USB updates use.
var cmdPack = &command{
	name:    "pack",
	summary: "author, check, sign and apply content packs (export-starter, lint, build, sign, attach, verify, apply, speech-path, translations)",
	usage: "SUBCOMMAND [flags] [ARG]\n\nSubcommands:\n" +
		"  export-starter --out DIR                          write the embedded starter content as a folder\n" +
		"  lint --src DIR [--diagram FLOWID [--format F]]    check a source folder as a kiosk would\n" +
		"  build --src DIR --key KEY --out FILE [--generation N]\n" +
		"                                                    lint, then compile a signed pack\n" +
		"  build --src DIR --out FILE [--manifest M] [--generation N]\n" +
		"                                                    the same unsigned, plus the manifest to sign offline\n" +
		"  sign --key KEY FILE                               sign a manifest where the key is kept: writes manifest.sig\n" +
		"  attach --pub PUB --sig SIG --out FILE UNSIGNED    check manifest.sig and put it into the unsigned pack\n" +
		"  verify --pub PUB FILE                             check a pack file: signature, files, content\n" +
		"  apply [--data DIR] [--config FILE] FILE           apply a pack file to a kiosk (USB update), checked with\n" +
		"                                                    the keys the kiosk's config pins (--pub only narrows them)\n" +
		"  speech-path [--lang L] [TEXT ...]                 where a recording of a screen line goes\n" +
		"  translations export|import|status ...             translations as gettext PO files\n\n" +
		"Run `tramso pack SUBCOMMAND --help` for its flags.",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		return func(env *Env) error { return runPack(env, fs.Args()) }
	},
}

func packCommands() []*command {
	return []*command{cmdPackExport, cmdPackLint, cmdPackBuild, cmdPackSign, cmdPackAttach, cmdPackVerify, cmdPackApply, cmdPackSpeechPath, cmdPackTranslations}
}

func runPack(env *Env, args []string) error {
	if len(args) == 0 {
		return usagef("pack: name a subcommand (see `tramso pack --help`)")
	}
	for _, c := range packCommands() {
		if c.name == "pack "+args[0] {
			return runCommand(c, args[1:], env)
		}
	}
	return usagef("pack: unknown subcommand %q (see `tramso pack --help`)", args[0])
}
