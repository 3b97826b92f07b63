// The preflight of the test command (build/scripts/test.sh). Its own module so
// that its shell parser never becomes a dependency of the kiosk's module, like
// build/tools.
module tramso/build/preflight

go 1.26.8

require mvdan.cc/sh/v3 v3.14.1
