// Package runlock makes sure only one run at a time works on a report.
//
// Two runs given the same report path would both send every lead and write
// over each other's resume journal, so a run first takes an exclusive lock on
// a file beside its report: PathFor("out/r.csv") is "out/r.csv.lock". The
// CLI passes that path to Acquire before it opens the report or the journal.
//
// Decisions:
//   - The lock is an OS advisory lock (flock(2), exclusive, non-blocking) on
//     the lock file, not the file's existence. The kernel drops it when the
//     process ends, kill -9 and crashes included, so a lock file left by a
//     dead run is simply locked and overwritten by the next run: there is no
//     stale-lock cleanup and no pid liveness guess.
//   - The file is opened with O_NOFOLLOW|O_CREAT and mode 0600; a symbolic
//     link (even a dangling one) or anything but a regular file at the path
//     is refused, so a planted link cannot make a run create or truncate
//     another file.
//   - The holder writes its identity into the file as one JSON line (pid,
//     host, start time in UTC, program name, report path). A loser reads it
//     back for its *HeldError. Only those fields are written, never the
//     command line, which may carry a password. A lock file this user may
//     not write (another user's run, mode 0600) is still probed with a
//     read-only flock, so the loser names the holder instead of reporting
//     "permission denied".
//   - Release removes the file while still holding the lock. A run that
//     locked the file just as it was removed would then hold a lock nobody
//     else can see; Acquire therefore checks, after locking, that the path
//     still names the file it locked, and starts over if not.
//   - Acquire tries once and fails at once (a *HeldError) when the lock is
//     held. Options.Wait > 0 makes it try again every 100 ms until the lock
//     is free, Wait has passed or ctx is done: Linux has no way to wait for a
//     flock that a context could interrupt.
//   - Unix only (Linux is the target; macOS and the BSDs have flock too).
//     Elsewhere Acquire returns ErrUnsupported rather than a weaker lock
//     (an O_EXCL file with a pid check races two runs that both find a dead
//     pid, and mistakes a reused pid for a live holder); the caller decides
//     whether to run unlocked.
//   - flock on NFS is emulated with byte-range locks by Linux clients, so it
//     still excludes runs on other hosts, as far as the server's lock
//     manager works; the holder's host name is in the message for that case.
package runlock
