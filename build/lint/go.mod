// The Go linter the test command runs (build/scripts/test.sh, after go vet),
// pinned here so every machine runs the same checks and the kiosk's own go.mod
// keeps only what the kiosk links. Build it with:
//   go build -C build/lint -o "$BIN/staticcheck" honnef.co/go/tools/cmd/staticcheck

module tramso/build/lint

go 1.26.8

tool honnef.co/go/tools/cmd/staticcheck

require (
	github.com/BurntSushi/toml v1.4.1-0.20240526193622-a339e1f7089c // indirect
	golang.org/x/exp/typeparams v0.0.0-20231108232855-2478ac86f678 // indirect
	golang.org/x/mod v0.41.0 // indirect
	golang.org/x/sync v0.23.0 // indirect
	golang.org/x/tools v0.51.0 // indirect
	honnef.co/go/tools v0.8.2 // indirect
)
