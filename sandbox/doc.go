// Package sandbox is an in-memory fake of the XONVO External API: the
// project's test server, the server behind `--sandbox`, and the
// `xonvo-import sandbox` command. It serves the 15 endpoints of the Postman
// collection with their documented rules, fault knobs for testing retries
// (rate limit, failures, dropped connections, latency, rejected leads), and
// inspection routes. Like fake-gcs-server's fakestorage, tests start it
// in-process:
//
//	srv, err := sandbox.NewServer(sandbox.Options{Accounts: []string{"18", "21"}})
//	defer srv.Close()
//	c, err := srv.Client()
//
// # Choices where the documentation is silent
//
// Auth and errors:
//   - Every route, /_sandbox/* included, needs Basic auth; 401 carries
//     WWW-Authenticate: Basic realm="ALOT-EXTERNAL". Empty Options
//     credentials mean sandbox/sandbox.
//   - Every error is JSON {"message": "..."}, except a path no endpoint
//     serves: a plain-text 404 ("404 page not found: no endpoint GET /x"),
//     as a web server answers a page it does not have, so a client with a
//     wrong base URL can tell it from the API's JSON 404 for an unknown
//     account or lead. A known path with the wrong method is 405 with
//     Allow. Only a sandbox bug can produce a 500 (apart from FailRate).
//
// Input:
//   - Bodies are size-limited; beyond MaxBodyBytes (default 32 MiB) the
//     answer is 413. Error messages are json.Decoder's reading of the body
//     (see Speed for how good bulk bodies skip it). A Content-Type other
//     than JSON is 415; a missing one is accepted.
//   - Unknown fields are refused (400 naming the field), so a misspelt field
//     is never silently dropped (field names match case-insensitively, as
//     encoding/json does). So are wrong JSON types, malformed JSON,
//     trailing data, empty bodies, and empty batches ({}, no accounts, an
//     account with []).
//   - Field rules: firstName, lastName required, at most 250 characters;
//     phone required, at most 100, and must hold a digit; timestamp required,
//     exactly MM-dd-yyyy HH:mm:ss with two-digit parts, a real date and time.
//     Blank (whitespace) counts as missing. Lengths count characters.
//   - The either/or pairs (state and city, or zip; jornayaLeadId or
//     trustedFormId) are enforced on POST /lead only: the collection's bulk
//     examples satisfy neither.
//   - agentExternalId is not checked against the agents held.
//   - Messages name the place: leadsByAccountId["18"][3].timestamp: ...
//     Only the first problem of a request is reported.
//
// Leads:
//   - A bulk request is all or nothing. Checks run in this order: shape and
//     field rules (400), rejected external ids (400 that names no lead), an
//     unknown account (404 naming it), an inactive account (400).
//   - POST and PUT /leads/bulk behave the same: add, or update a lead the
//     account already holds. Leads are keyed per account by externalId, by
//     normalised phone when there is none; receiving one again replaces its
//     fields and adds one to receivedCount, keeping its status and first
//     receive time. The same lead twice in one request is received twice.
//   - POST /lead names no account: the lead goes to the first account
//     created (seeded accounts first, in Options order); 404 when none.
//   - Phones match ignoring formatting: only '+' and digits count. Unsubscribe
//     by phone reaches every account; 404 when no lead has the phone. A phone
//     sent with a raw '+' (decoded as a space) does not match; the 404 says so.
//   - unsubscribe sets "unsubscribed", stop "stopped" (but an unsubscribed
//     lead stays unsubscribed), reset "active" from any status. These work on
//     leads of paused and inactive accounts too.
//   - POST /agent with a known externalId replaces that agent.
//
// Accounts:
//   - An unknown account is 404 unless Options.AutoCreateAccounts (set by
//     the embedded --sandbox) creates it, active, on first mention: a bulk
//     request creates its accounts only once the whole request is accepted;
//     other requests create the account of their path before being served.
//   - Seeded ids are kept as given; POST /accounts answers {"id": N}, N one
//     above the highest numeric id held (1 when none), and requires a name
//     (at most 250 characters); countryIso3, when given, must be 3 letters.
//     PUT replaces the details and answers {"id": N} (0 for a non-numeric
//     seeded id).
//   - A paused account accepts and stores leads but marks them held; unpause
//     releases them. An inactive account refuses new or updated leads with
//     400 "account 18 is inactive"; pause or unpause of an inactive account
//     is 400; inactivate, pause and unpause are otherwise idempotent.
//
// Statistics:
//   - leadCount and unsubscribeCount count the account's leads whose first
//     receive time (by Options.Now) is within [from, to]; an absent bound is
//     open. from/to must be RFC 3339 (ISO-8601 with offset); otherwise 400
//     naming the parameter, as is from after to. The sandbox delivers
//     nothing: engagedCount, deliveredCount and ctr are 0.
//   - Lead statistics: deliveredCount 0, qualified false, lastDeliveredTime
//     null (every key of the collection's example is always present); 404
//     for an unknown account or lead.
//
// Fault knobs (API routes only, never /_sandbox/*), in this order: Latency
// (waits on the request context), auth, RateLimit (a fixed window of one
// clock second; 429 with Retry-After in whole seconds until the window
// turns), then one draw from the single seeded random source per request,
// in arrival order: FailRate (500/502/503, not applied) or DropRate (applied,
// then the connection is closed with no answer). Seed 0 is a seed like any
// other: faults are always repeatable.
//
// Inspection: GET /_sandbox/leads (optionally ?account=ID), /_sandbox/agents,
// /_sandbox/accounts, /_sandbox/requests (the last 100,000 API requests, in
// the order answered, each with its arrival time by Options.Now; inspection
// requests are not recorded) and /_sandbox/stats (totals). RequestLog
// measures the pace a client kept from the server's side: MaxInWindow (the
// worst one-second window), PerSecond and Utilisation against --rate.
//
// Speed: a bulk body is read whole and walked once by the package's own
// scanner, which checks JSON syntax as strictly as encoding/json and each
// lead's shape and fields on the lead's text, without building a
// wire.Lead or copying the lead. Any body that walk does not accept
// (malformed, a lead that breaks a rule, an empty batch, a read error) is
// decoded again by the streaming json.Decoder path, which words the answer:
// errors cost two passes, good bodies one, and every answer is the one the
// decoder gives. A fuzz test holds the two paths together. All of it happens
// before the store lock is taken. Under the lock each lead is looked up in
// one open-addressed table keyed by a seeded hash of account and key, and
// its JSON as received (plus any key not found verbatim in it) is copied
// into large shared chunks; its record holds no pointer, so the garbage
// collector does not see leads one by one and storing allocates nothing a
// lead. Replaced versions are dropped by compaction once they outweigh the
// live ones. The phone index behind unsubscribe by phone is built on first
// use and kept up to date after.
//
// Listen serves until its context is done or Close is called; NewServer
// until Close.
package sandbox
