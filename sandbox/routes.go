package sandbox

import (
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// inspectionPrefix marks the sandbox's own routes: authenticated, but free
// of fault knobs and not recorded in the request log.
const inspectionPrefix = "/_sandbox/"

// routes lists the 15 API endpoints with the paths of the collection, and
// the inspection endpoints.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	// Leads
	mux.HandleFunc("POST /lead", s.handleAddLead)
	mux.HandleFunc("POST /agent", s.handleAddAgent)
	mux.HandleFunc("PUT /lead/unsubscribe", s.handleUnsubscribeByPhone)
	mux.HandleFunc("PUT /accounts/{accountId}/leads/{leadExternalId}/unsubscribe", s.handleLeadAction(statusUnsubscribed))
	mux.HandleFunc("POST /leads/bulk", s.handleBulk)
	mux.HandleFunc("PUT /leads/bulk", s.handleBulk)
	mux.HandleFunc("PUT /accounts/{accountId}/leads/{leadExternalId}/reset", s.handleLeadAction(statusActive))
	mux.HandleFunc("PUT /accounts/{accountId}/leads/{leadExternalId}/stop", s.handleLeadAction(statusStopped))
	// Accounts
	mux.HandleFunc("POST /accounts", s.handleCreateAccount)
	mux.HandleFunc("PUT /accounts/{accountId}", s.handleUpdateAccount)
	mux.HandleFunc("PUT /accounts/{accountId}/inactivate", s.handleAccountState(AccountInactive))
	mux.HandleFunc("PUT /accounts/{accountId}/pause", s.handleAccountState(AccountPaused))
	mux.HandleFunc("PUT /accounts/{accountId}/unpause", s.handleAccountState(AccountActive))
	// Statistics
	mux.HandleFunc("GET /accounts/{accountId}/statistics", s.handleAccountStatistics)
	mux.HandleFunc("GET /accounts/{accountId}/leads/{leadExternalId}/statistics", s.handleLeadStatistics)
	// Inspection
	mux.HandleFunc("GET /_sandbox/leads", s.handleInspectLeads)
	mux.HandleFunc("GET /_sandbox/agents", s.handleInspectAgents)
	mux.HandleFunc("GET /_sandbox/accounts", s.handleInspectAccounts)
	mux.HandleFunc("GET /_sandbox/requests", s.handleInspectRequests)
	mux.HandleFunc("GET /_sandbox/stats", s.handleInspectStats)
	// Everything else: a JSON 404, or 405 when the path exists for
	// another method.
	mux.HandleFunc("/", s.handleNoRoute)
	return mux
}

// serveHTTP is the one entry point: authentication for every route, then the
// fault knobs and the request log for API routes.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, inspectionPrefix) {
		if !s.authorized(r) {
			unauthorized(w)
			return
		}
		s.mux.ServeHTTP(w, r)
		return
	}
	arrived := s.opts.Now()
	start := time.Now()
	rec := &recorder{ResponseWriter: w}
	f := s.serveAPI(rec, r)
	record := RequestRecord{Time: arrived, Method: r.Method, Path: r.URL.Path,
		Status: rec.status, Leads: rec.leads, Fault: f.String()}
	s.reqLog.add(record)
	if s.opts.Logger != nil {
		s.opts.Logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", record.Method), slog.String("path", record.Path),
			slog.Int("status", record.Status), slog.Int("leads", record.Leads),
			slog.String("fault", record.Fault), slog.Duration("duration", time.Since(start)))
	}
	if f == faultDropped {
		// Only now, once recorded, so the log keeps arrival order: the
		// caller sends its next request as soon as the connection closes.
		s.dropConnection(w)
	}
}

// serveAPI applies latency, authentication and the fault knobs, then the
// route. For a dropped request the route's answer is thrown away; the caller
// closes the connection.
func (s *Server) serveAPI(rec *recorder, r *http.Request) fault {
	if s.opts.Latency > 0 {
		t := time.NewTimer(s.opts.Latency)
		select {
		case <-r.Context().Done():
			t.Stop()
			return faultNone // the caller left; nothing is answered
		case <-t.C:
		}
	}
	if !s.authorized(r) {
		unauthorized(rec)
		return faultNone
	}
	d := s.faults.draw()
	switch d.fault {
	case faultRateLimited:
		rec.Header().Set("Retry-After", strconv.Itoa(d.retryAfter))
		writeMessage(rec, d.status, fmt.Sprintf("rate limit exceeded: at most %d requests per second", s.opts.RateLimit))
		return d.fault
	case faultFailed:
		writeMessage(rec, d.status, "simulated server failure: the request was not applied")
		return d.fault
	case faultDropped:
		// Apply the request and throw its answer away.
		rec.ResponseWriter = &discardWriter{header: http.Header{}}
		s.mux.ServeHTTP(rec, r)
		rec.answered()
		return d.fault
	}
	s.mux.ServeHTTP(rec, r)
	rec.answered()
	return faultNone
}

// dropConnection closes the connection without answering. Where the
// connection cannot be taken over (HTTP/2), http.ErrAbortHandler is the
// documented way to abort the response.
func (s *Server) dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// authorized checks Basic credentials in constant time.
func (s *Server) authorized(r *http.Request) bool {
	u, p, ok := r.BasicAuth()
	if !ok {
		return false
	}
	uok := subtle.ConstantTimeCompare([]byte(u), []byte(s.opts.Username))
	pok := subtle.ConstantTimeCompare([]byte(p), []byte(s.opts.Password))
	return uok&pok == 1
}

func unauthorized(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Basic realm="ALOT-EXTERNAL"`)
	writeMessage(w, http.StatusUnauthorized, "authentication required: wrong or missing Basic credentials")
}

// handleNoRoute answers paths no route serves: 405 with Allow when the path
// exists for other methods, else a plain-text 404.
func (s *Server) handleNoRoute(w http.ResponseWriter, r *http.Request) {
	var allowed []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
		if m == r.Method {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "/" && pattern != "" {
			allowed = append(allowed, m)
		}
	}
	if len(allowed) > 0 {
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		writeMessage(w, http.StatusMethodNotAllowed,
			fmt.Sprintf("method %s is not allowed on %s (allowed: %s)", r.Method, r.URL.Path, strings.Join(allowed, ", ")))
		return
	}
	// Not JSON on purpose: a path no endpoint serves is answered the way a
	// web server answers a path it does not have, so a client pointed at a
	// wrong base URL can tell "no such endpoint" (check --url) from the
	// API's JSON 404 for an unknown account or lead.
	http.Error(w, fmt.Sprintf("404 page not found: no endpoint %s %s", r.Method, r.URL.Path), http.StatusNotFound)
}

// recorder notes the status and lead count of an answer for the request log.
type recorder struct {
	http.ResponseWriter
	status int
	leads  int
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// answered settles the status of a handler that wrote nothing (net/http
// sends 200 then).
func (r *recorder) answered() {
	if r.status == 0 {
		r.status = http.StatusOK
	}
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// setLeads records how many leads a request carried.
func setLeads(w http.ResponseWriter, n int) {
	if rec, ok := w.(*recorder); ok {
		rec.leads = n
	}
}

// discardWriter swallows the answer of a request that is to be dropped.
type discardWriter struct {
	header http.Header
}

func (d *discardWriter) Header() http.Header         { return d.header }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}
