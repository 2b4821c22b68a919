// Package client is a typed Go client for the 15 endpoints of the XONVO
// External API (see /work/shared/api/API.md and the Postman collection).
//
// Shape, after google/go-github: one Client built by New with functional
// options, one request path (Client.do) that every endpoint method goes
// through, typed errors (*APIError plus sentinels for errors.Is).
// Retries follow rclone's pacer and stripe-go: shouldRetry is the only place
// that decides whether to try again, RetryPolicy.Sleep the only place that
// waits, and every wait watches the context.
//
// Decisions where the API documentation is silent:
//   - Success is any 2xx. Redirects are not followed by the default HTTP
//     client: a 3xx on a POST would otherwise silently become a GET, so it
//     is surfaced as an *APIError instead.
//   - Retry-After (seconds or HTTP date) on 429/503 is honoured as given, not
//     capped by MaxDelay: the server knows best, and ctx cancellation still
//     ends the wait.
//   - Every transport failure (timeout, reset, EOF before a response) counts
//     as "no response": the request may have been applied, so IsNoResponse
//     reports it and the next attempt is counted in CallInfo.Resends.
//   - A 2xx whose body cannot be read is not retried (the request was
//     applied); the read error is returned.
//   - Each attempt has its own timeout (WithTimeout, default DefaultTimeout)
//     covering the request and reading the response body.
//   - Error messages from the server are read through a 64 KiB limit,
//     reduced to one line and capped at 2 KiB; JSON "message" (then "error")
//     is preferred, HTML error pages are reduced to their <title>.
//   - The password (plain, URL-escaped and as the Basic header value) is
//     masked in every error string; a base URL carrying userinfo is
//     rejected, so transport errors (which quote the URL) cannot leak it.
//     A password shorter than 6 bytes is masked only where it stands alone,
//     so that "p" does not turn "dial tcp" into "dial tc***".
//   - Empty, "." and ".." account or external ids are refused locally
//     (ErrInvalidArgument) since they would change the path's meaning.
package client
