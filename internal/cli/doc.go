// Package cli is the command line of xonvo-import: the cobra commands and
// their flags, where the connection settings come from (flags win over
// XONVO_URL, XONVO_USERNAME and XONVO_PASSWORD; the password is read from
// --password-file, never a flag), progress on stderr, the summary on stdout
// and the exit codes of CONTRACT.md. Main takes its environment as an Env so
// that end-to-end tests run the same wiring in-process.
package cli
