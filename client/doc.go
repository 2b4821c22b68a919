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
//   - Success is any 2xx with an empty or JSON body. Redirects are not
//     followed by the default HTTP client: a 3xx on a POST would otherwise
//     silently become a GET, and the API never redirects, so a 3xx is a
//     *NotAPIError (below).
//   - Retry-After (seconds or HTTP date) on 429/503 is honoured as given, not
//     capped by MaxDelay, up to RetryPolicy.MaxWait (default 5 min, the
//     CLI's --max-retry-wait). Beyond it the call ends at once with a
//     *RetryAfterError, even with no retry left: silently sleeping for
//     days is worse than stopping. The backoff never exceeds MaxWait.
//   - Waits over ReportedWait (10 s) are handed to the WithWaitObserver
//     function; the client itself never logs.
//   - Every transport failure (timeout, reset, EOF before a response) counts
//     as "no response": the request may have been applied, so IsNoResponse
//     reports it and the next attempt is counted in CallInfo.Resends.
//   - A 2xx whose body breaks off or stalls (no byte for
//     WithBodyIdleTimeout, default 30 s, or past the attempt timeout) is
//     retried and the next attempt counted as a resend: the request was
//     applied, and the API keys leads by externalId, so a resend is safe.
//     It matches ErrBodyIncomplete; IsNoResponse is false (a status came).
//   - POST /accounts is the exception: accounts are not keyed, so it is not
//     retried after no response, a broken 2xx body, a 502 or a 504 (all may
//     have created the account); 429, 500 and 503 still are.
//   - An answer the API does not give is a *NotAPIError (ErrNotAPI), never
//     retried: a 2xx with a non-empty body that is not JSON (or is HTML by
//     Content-Type or a leading '<'), a 404 whose body is not a JSON object
//     (a web server's page: the endpoint is missing, not the lead), any 405
//     (the client only uses the documented method of each path) and any
//     3xx. A 404 with a JSON body, or an empty one not declared HTML, stays
//     an *APIError matching ErrNotFound: the collection documents no 404
//     body, and many APIs answer an unknown id with a bare 404.
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
