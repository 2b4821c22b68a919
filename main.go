// Command xonvo-import loads sales leads from CSV and XLSX files into the
// XONVO platform. main only wires signals to the CLI: the first SIGINT or
// SIGTERM cancels the run (which finishes its report and journal, exit 130);
// a second one exits at once, the journal intact because every entry is
// fsynced whole.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	// Mapping timezones (America/New_York, US/Arizona) must resolve in
	// minimal container images that ship no zoneinfo.
	_ "time/tzdata"

	"github.com/xonvo/xonvo-import/internal/cli"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sigs
		cancel()
		<-sigs
		os.Exit(130)
	}()
	code := cli.Main(ctx, cli.Env{Args: os.Args[1:], Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		Getenv: os.Getenv, Version: version})
	cancel()
	os.Exit(code)
}
