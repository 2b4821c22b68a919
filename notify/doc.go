// Package notify tells a chat channel or another program how an unattended
// run ended (--notify URL, --notify-on failure|problems|always): Send posts
// one JSON object to a Slack or Microsoft Teams incoming webhook, or to any
// receiver that reads JSON, and ShouldNotify applies --notify-on.
//
// The body (see Payload) has three keys:
//
//	text     the line people read: "xonvo-import FAILED (exit 1) after 12.3s:
//	         1,204 rows: 1,100 sent, 104 invalid — report out/r.csv — stopped: unreachable"
//	summary  for programs: outcome, exit_code, duration_seconds, rows,
//	         counts (every status, 0 included), files, report, stopped,
//	         and job and labels when given
//
// Decisions:
//   - The machine-readable part is the object "summary", as the outside
//     contract names it. Slack and Teams Workflows read text and ignore the
//     rest; a legacy Office 365 connector card, whose summary is a string,
//     may refuse it: use a Workflows webhook there.
//   - No answer, 429 and 5xx are retried, 3 attempts in all by default,
//     with full-jitter backoff capped at 10 s (Retry-After honoured up to
//     the cap) through an injectable sleep; any other non-2xx is final.
//     Redirects are not followed: a redirected POST would arrive as a GET.
//   - A Message has no field for credentials or row data. Input locations
//     that are URLs lose their user info and query (keys, SAS tokens).
//   - A webhook URL's path and query are its secret: errors name only its
//     scheme and host, never quote the URL, and mask its parts wherever a
//     receiver's answer repeats them.
//   - "&", "<" and ">" are escaped as Slack requires, so a file name cannot
//     ping a channel or forge a link.
//   - A failed notification is the caller's warning, never a change of the
//     run's exit code.
package notify
