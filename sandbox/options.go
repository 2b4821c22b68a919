package sandbox

import (
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// DefaultMaxBodyBytes is the request body cap used when Options.MaxBodyBytes
// is zero. Bodies beyond it are answered 413.
const DefaultMaxBodyBytes int64 = 32 << 20

// DefaultUsername and DefaultPassword are the credentials the sandbox accepts
// when Options leaves them empty, so `--sandbox` works with no setup.
const (
	DefaultUsername = "sandbox"
	DefaultPassword = "sandbox"
)

// requestLogSize bounds how many request records the sandbox keeps.
const requestLogSize = 100_000

// Options configures a sandbox Server. The zero value is a working server
// with the default credentials, no accounts and no faults.
type Options struct {
	// Username and Password are the Basic credentials every route demands.
	// Empty means DefaultUsername / DefaultPassword.
	Username, Password string
	// Accounts are seeded account ids, e.g. "18", "21".
	Accounts []string
	// AutoCreateAccounts makes a request naming an account the sandbox does
	// not hold create it (active) instead of answering 404: in a bulk
	// request once the whole request is accepted, elsewhere (account
	// actions, statistics, lead actions) before the request is served. The
	// embedded --sandbox sets it so a new user's file works whatever account
	// ids it holds. POST /lead names no account and still needs one to exist.
	AutoCreateAccounts bool
	// RateLimit answers 429 with Retry-After once more than RateLimit API
	// requests arrive within one clock second. 0 turns it off.
	RateLimit int
	// FailRate is the fraction of API requests answered 500, 502 or 503
	// without being applied.
	FailRate float64
	// DropRate is the fraction of API requests that are applied, after which
	// the connection is closed with no response.
	DropRate float64
	// Latency is added before answering an API request; it waits on the
	// request's context.
	Latency time.Duration
	// RejectExternalIDs: a bulk request containing a lead with one of these
	// external ids is refused with a 400 that does not say which lead; so is
	// a POST /lead carrying one.
	RejectExternalIDs []string
	// Seed makes the fault draws repeatable: the same seed and the same
	// request order give the same faults.
	Seed int64
	// MaxBodyBytes caps request bodies (413 beyond). 0 means
	// DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Logger receives one line per request. Nil means no request log.
	Logger *slog.Logger
	// Now is the clock used for lead receive times, statistics windows and
	// the rate-limit window. Nil means time.Now.
	Now func() time.Time
}

// ErrInvalidOptions is wrapped by NewServer and Listen when Options are out
// of range.
var ErrInvalidOptions = errors.New("sandbox: invalid options")

// withDefaults validates o and fills in its defaults.
func (o Options) withDefaults() (Options, error) {
	switch {
	case o.RateLimit < 0:
		return o, fmt.Errorf("%w: rate limit %d is negative", ErrInvalidOptions, o.RateLimit)
	case o.FailRate < 0 || o.FailRate > 1:
		return o, fmt.Errorf("%w: fail rate %v is not within 0..1", ErrInvalidOptions, o.FailRate)
	case o.DropRate < 0 || o.DropRate > 1:
		return o, fmt.Errorf("%w: drop rate %v is not within 0..1", ErrInvalidOptions, o.DropRate)
	case o.Latency < 0:
		return o, fmt.Errorf("%w: latency %v is negative", ErrInvalidOptions, o.Latency)
	case o.MaxBodyBytes < 0:
		return o, fmt.Errorf("%w: max body bytes %d is negative", ErrInvalidOptions, o.MaxBodyBytes)
	}
	for _, id := range o.Accounts {
		if id == "" {
			return o, fmt.Errorf("%w: empty account id", ErrInvalidOptions)
		}
	}
	if o.Username == "" {
		o.Username = DefaultUsername
	}
	if o.Password == "" {
		o.Password = DefaultPassword
	}
	if o.MaxBodyBytes == 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o, nil
}
