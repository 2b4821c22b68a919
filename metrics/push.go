package metrics

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/push"
	dto "github.com/prometheus/client_model/go"
)

// DefaultPushTimeout bounds a push made with the default HTTP client.
const DefaultPushTimeout = 10 * time.Second

// maxErrorBody bounds how much of a refusing gateway's answer is read into
// the error message.
const maxErrorBody = 4 << 10

// ErrInvalidPushURL is wrapped by the error for a Pushgateway URL that Push
// refuses before sending anything.
var ErrInvalidPushURL = errors.New("invalid Pushgateway URL")

// PushOptions configures Push.
type PushOptions struct {
	// Job overrides Run.Job; when both are empty the job is DefaultJob.
	Job string
	// Username and Password, when either is set, are sent as HTTP Basic
	// auth. The password never appears in an error.
	Username, Password string
	// HTTPClient sends the push; nil means a new client with
	// DefaultPushTimeout.
	HTTPClient *http.Client
}

// Push sends r's metrics to the Pushgateway at gatewayURL with push-add
// semantics (HTTP POST): in the group {job, r.Labels...} every metric pushed
// replaces the one of the same name, and metrics not pushed stay. A failed
// run does not push the last-success gauge, so the gateway keeps the time of
// the previous success. The Pushgateway adds the grouping labels to every
// metric when scraped.
//
// gatewayURL is the gateway's base URL (http or https, optionally with a path
// prefix); "host:port" means http://host:port. Credentials go in o, never in
// the URL: a URL with user info, a query or a fragment is refused.
func Push(ctx context.Context, gatewayURL string, r Run, o PushOptions) error {
	base, shown, err := pushBase(gatewayURL)
	if err != nil {
		return err
	}
	if err := r.validate(); err != nil {
		return fmt.Errorf("push metrics to %s: %w", shown, err)
	}
	var lastSuccess *time.Time
	if r.Success {
		lastSuccess = &r.Timestamp
	}
	// No const labels: the grouping key carries r.Labels, and the client
	// refuses metrics that repeat a grouping label.
	mfs, err := gather(r, nil, lastSuccess)
	if err != nil {
		return fmt.Errorf("push metrics to %s: %w", shown, err)
	}

	job := o.Job
	if job == "" {
		job = r.Job
	}
	if job == "" {
		job = DefaultJob
	}
	hc := o.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: DefaultPushTimeout}
	}
	p := push.New(base, job).
		Gatherer(prometheus.GathererFunc(func() ([]*dto.MetricFamily, error) { return mfs, nil })).
		Client(limitedDoer{hc})
	for name, value := range r.Labels {
		p = p.Grouping(name, value)
	}
	if o.Username != "" || o.Password != "" {
		p = p.BasicAuth(o.Username, o.Password)
	}
	if err := p.AddContext(ctx); err != nil {
		return redact(fmt.Errorf("push metrics to %s (job %q): %w", shown, job, err), o.Username, o.Password)
	}
	return nil
}

// pushBase checks a Pushgateway URL and returns it without a trailing slash,
// and the form to show in errors.
func pushBase(raw string) (base, shown string, err error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", "", fmt.Errorf("%w: the URL is empty", ErrInvalidPushURL)
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		// url.Error quotes the input, which may hold a password: say only
		// what is wrong.
		return "", "", fmt.Errorf("%w: it does not parse as a URL", ErrInvalidPushURL)
	}
	shown = u.Scheme + "://" + u.Host + u.EscapedPath()
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", "", fmt.Errorf("%w %s: the scheme must be http or https", ErrInvalidPushURL, shown)
	case u.Host == "":
		return "", "", fmt.Errorf("%w %s: no host", ErrInvalidPushURL, shown)
	case u.User != nil:
		return "", "", fmt.Errorf("%w %s: it carries user info; give credentials as options "+
			"(XONVO_PUSHGATEWAY_USERNAME, XONVO_PUSHGATEWAY_PASSWORD_FILE)", ErrInvalidPushURL, shown)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return "", "", fmt.Errorf("%w %s: it must have no query or fragment", ErrInvalidPushURL, shown)
	}
	return strings.TrimSuffix(u.Scheme+"://"+u.Host+u.EscapedPath(), "/"), shown, nil
}

// limitedDoer caps the response body the push client reads into its error
// message: a gateway or proxy answering with megabytes must not flood a log.
type limitedDoer struct{ hc *http.Client }

// Do sends req and limits the response body to maxErrorBody bytes.
func (d limitedDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.hc.Do(req)
	if resp != nil && resp.Body != nil {
		resp.Body = struct {
			io.Reader
			io.Closer
		}{io.LimitReader(resp.Body, maxErrorBody), resp.Body}
	}
	return resp, err
}

// redact returns err, or, when its message holds the password (or the Basic
// auth header value), an error with them masked. The masked error does not
// wrap err, whose message would bring the password back; it keeps
// context.Canceled and context.DeadlineExceeded for errors.Is.
func redact(err error, username, password string) error {
	if password == "" {
		return err
	}
	msg := err.Error()
	secrets := []string{password, base64.StdEncoding.EncodeToString([]byte(username + ":" + password))}
	masked := msg
	for _, s := range secrets {
		masked = strings.ReplaceAll(masked, s, "***")
	}
	if masked == msg {
		return err
	}
	for _, ctxErr := range []error{context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, ctxErr) {
			return &redactedError{msg: masked, cause: ctxErr}
		}
	}
	return &redactedError{msg: masked}
}

// redactedError is an error message with secrets masked.
type redactedError struct {
	msg   string
	cause error // a sentinel that carries no secret, or nil
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.cause }
