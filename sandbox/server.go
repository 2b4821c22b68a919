package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/xonvo/xonvo-import/wire"
)

// shutdownGrace is how long Close waits for requests in flight.
const shutdownGrace = 5 * time.Second

// Server is an in-memory XONVO External API. Create it with NewServer (tests)
// or Listen (the CLI); it is safe for concurrent use.
type Server struct {
	opts    Options
	reject  map[string]struct{}
	faults  *faults
	reqLog  *requestLog
	mux     *http.ServeMux
	handler http.Handler

	mu sync.Mutex // guards st
	st *store

	bodies sync.Pool // *[]byte: bulk request buffers (takeBody, giveBody)

	httpSrv   *http.Server
	connMu    sync.Mutex
	newConns  map[net.Conn]struct{} // dialled, no request yet; guarded by connMu
	url       string
	served    chan error
	stopWatch func() bool
	closeOnce sync.Once
	closeErr  error
}

// NewServer starts a sandbox on 127.0.0.1 with a free port, ready to serve
// when it returns. Close it when done.
func NewServer(opts Options) (*Server, error) {
	return Listen(context.Background(), "127.0.0.1:0", opts)
}

// Listen starts a sandbox on addr (host:port). It accepts connections when
// Listen returns, and shuts down when ctx is done or Close is called.
func Listen(ctx context.Context, addr string, opts Options) (*Server, error) {
	s, err := newServer(opts)
	if err != nil {
		return nil, err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox: listen on %s: %w", addr, err)
	}
	s.url = "http://" + ln.Addr().String()
	s.httpSrv = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          log.New(io.Discard, "", 0),
		ConnState:         s.trackConn,
	}
	if s.opts.Logger != nil {
		s.httpSrv.ErrorLog = slog.NewLogLogger(s.opts.Logger.Handler(), slog.LevelWarn)
	}
	s.served = make(chan error, 1)
	go func() { s.served <- s.httpSrv.Serve(ln) }()
	s.stopWatch = context.AfterFunc(ctx, func() { _ = s.Close() })
	return s, nil
}

// newServer builds a server that does not listen: its Handler can be mounted
// anywhere.
func newServer(opts Options) (*Server, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &Server{
		opts:   o,
		reject: make(map[string]struct{}, len(o.RejectExternalIDs)),
		faults: newFaults(o),
		reqLog: newRequestLog(),
		st:     newStore(),
	}
	for _, id := range o.RejectExternalIDs {
		s.reject[id] = struct{}{}
	}
	s.st.autoCreate = o.AutoCreateAccounts
	for _, id := range o.Accounts {
		s.st.ensureAccount(id)
	}
	s.mux = s.routes()
	s.handler = http.HandlerFunc(s.serveHTTP)
	return s, nil
}

// URL is the base URL, e.g. http://127.0.0.1:PORT, with no trailing slash.
func (s *Server) URL() string { return s.url }

// Credentials are the Basic username and password the server accepts.
func (s *Server) Credentials() (username, password string) {
	return s.opts.Username, s.opts.Password
}

// Handler serves the API and the /_sandbox inspection routes, so tests can
// mount it under a path prefix. Dropping a connection (DropRate) needs the
// writer of a real http.Server; elsewhere the handler aborts with
// http.ErrAbortHandler.
func (s *Server) Handler() http.Handler { return s.handler }

// Close stops the server, waiting a few seconds for requests in flight. It
// is safe to call more than once.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		if s.httpSrv == nil {
			return
		}
		s.stopWatch()
		// http.Server.Shutdown waits up to 5 s for a connection that was
		// dialled but never carried a request (a client's spare keep-alive
		// connection): the blocking profile of an import benchmark showed
		// every Close taking exactly that. Such connections hold no request,
		// so they are closed first.
		s.httpSrv.SetKeepAlivesEnabled(false)
		s.closeNewConns()
		ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		if err := s.httpSrv.Shutdown(ctx); err != nil {
			_ = s.httpSrv.Close()
		}
		if err := <-s.served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.closeErr = fmt.Errorf("sandbox: serve: %w", err)
		}
	})
	return s.closeErr
}

// CreateAccount seeds an account at run time; an existing id is left as is.
func (s *Server) CreateAccount(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.ensureAccount(id)
}

// Leads returns every stored lead, in the order first received.
func (s *Server) Leads() []StoredLead {
	return s.leadsOf("")
}

// leadsOf lists the leads of one account, or all when accountID is empty.
// Records are copied under the lock and expanded outside it: a stored lead's
// bytes are never modified, only replaced.
func (s *Server) leadsOf(accountID string) []StoredLead {
	s.mu.Lock()
	views := make([]leadView, 0, s.st.leads.len())
	for i := range int32(s.st.leads.len()) {
		rec := s.st.leads.at(i)
		if accountID == "" || s.st.order[rec.acct].id == accountID {
			views = append(views, s.st.view(rec))
		}
	}
	s.mu.Unlock()
	out := make([]StoredLead, 0, len(views))
	for i := range views {
		sl, err := views[i].storedLead()
		if err != nil {
			// Stored bytes passed the lead scanner; they always decode.
			continue
		}
		out = append(out, sl)
	}
	return out
}

// Agents returns every stored agent, in the order first added.
func (s *Server) Agents() []wire.Agent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append(make([]wire.Agent, 0, len(s.st.agentList)), s.st.agentList...)
}

// Accounts returns every account, in the order created.
func (s *Server) Accounts() []StoredAccount {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]StoredAccount, 0, len(s.st.order))
	for _, a := range s.st.order {
		out = append(out, a.stored())
	}
	return out
}

// Requests returns the last API requests (at most 100,000), in the order
// answered. Inspection requests are not recorded. RequestLog's methods
// measure the pace the client kept.
func (s *Server) Requests() RequestLog { return s.reqLog.records() }

// RequestStats returns totals over every API request since the start.
func (s *Server) RequestStats() RequestStats { return s.reqLog.totals() }

// trackConn remembers connections that have not yet carried a request.
func (s *Server) trackConn(c net.Conn, state http.ConnState) {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	if s.newConns == nil {
		s.newConns = make(map[net.Conn]struct{})
	}
	if state == http.StateNew {
		s.newConns[c] = struct{}{}
	} else {
		delete(s.newConns, c)
	}
}

func (s *Server) closeNewConns() {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	for c := range s.newConns {
		_ = c.Close()
		delete(s.newConns, c)
	}
}
