package importer

import (
	"errors"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/xonvo/xonvo-import/client"
	"github.com/xonvo/xonvo-import/reports"
)

// sender makes the requests of closed batches and reports their rows.
type sender struct {
	action    Action
	stop      *stopper
	fin       *finisher
	journal   *journal
	reached   atomic.Bool // some request got an HTTP response
	succeeded atomic.Bool // some request succeeded
	streak    failStreak
	codes     codeCounts
	// bodies takes back the joined body of a batch once its rows are
	// reported sent (nil: bodies are left to the garbage collector).
	bodies *bodyPool

	requests, retries, resends, splits, bytes atomic.Int64
}

// process sends one batch, or reports it not sent when the run stopped
// while it waited.
func (s *sender) process(b *batch) {
	if s.stop.stopped() {
		s.fin.notSent(b.items)
		return
	}
	s.send(b.items, b.body)
}

// send makes one request for items, with body if the batcher joined it
// (else the action builds it) and, when the server refuses a batch of
// several rows as bad input, splits it in halves until each refused row is
// alone.
func (s *sender) send(items []*Item, body []byte) {
	joined := body != nil // the batch's body, which the rows' payloads are cut from
	if body == nil {
		body = s.action.Body(items)
	}
	var info client.CallInfo
	err := s.action.Send(client.WithCallInfo(s.stop.sendCtx, &info), items, body)
	s.requests.Add(int64(info.Attempts))
	s.retries.Add(int64(info.Retries))
	s.resends.Add(int64(info.Resends))
	s.bytes.Add(int64(len(body) * info.Attempts))
	s.codes.add(info.Statuses)
	for _, it := range items {
		it.attempts += info.Attempts
		it.httpStatus = info.StatusCode
	}
	facts := factsOf(err, len(items), runSoFar{stopped: s.stop.sendCtx.Err() != nil,
		reached: s.reached.Load(), succeeded: s.succeeded.Load()})
	if facts.answered() {
		s.reached.Store(true)
	}
	if facts.ok {
		s.succeeded.Store(true)
	}
	out := classify(facts)
	switch out {
	case outSent, outSplit, outRejected:
		s.streak.handled()
	}
	switch out {
	case outSent:
		// A body the transport may still be reading is not reused.
		reuse := joined && s.bodies != nil && info.BodyReleased
		s.journal.confirm(items, func(jerr error) {
			if jerr != nil {
				s.stop.stop(reports.StopFatal, jerr)
			}
			if reuse {
				for _, it := range items {
					it.Payload = nil // cut from body, which is written over next
				}
			}
			// The rows were sent whether or not the journal could say so.
			// Finished, the items may be refilled: not touched after.
			s.fin.finishAll(items, reports.StatusSent, "")
			if reuse {
				s.bodies.put(body)
			}
		})
	case outSplit:
		s.splits.Add(1)
		half := len(items) / 2
		s.send(items[:half], nil)
		s.send(items[half:], nil)
	case outRejected:
		var apiErr *client.APIError
		msg := err.Error()
		if errors.As(err, &apiErr) {
			msg = rejectMessage(apiErr)
		}
		s.fin.finishAll(items, reports.StatusRejected, msg)
	case outStopAuth:
		s.stop.stop(reports.StopAuth, fmt.Errorf("%w: %w", ErrAuthFailed, err))
		s.fin.finishAll(items, reports.StatusNotSent, s.stop.notSentMessage(s.fin.limits))
	case outInFlight:
		s.fin.finishAll(items, reports.StatusNotSent, s.stop.inFlightMessage(s.fin.limits))
	case outStopWrongServer:
		s.stop.stop(reports.StopWrongServer, fmt.Errorf("%w: %w", ErrWrongServer, err))
		s.fin.finishAll(items, reports.StatusNotSent, s.stop.notSentMessage(s.fin.limits))
	case outStopRetryWait:
		s.stop.stop(reports.StopRetryWait, err)
		s.fin.finishAll(items, reports.StatusNotSent, s.stop.notSentMessage(s.fin.limits))
	case outStopUnreachable:
		s.stop.stop(reports.StopUnreachable, fmt.Errorf("%w: %w", ErrUnreachable, err))
		s.fin.finishAll(items, reports.StatusFailed, gaveUp(info.Attempts, err))
	case outFailed:
		s.fin.finishAll(items, reports.StatusFailed, gaveUp(info.Attempts, err))
		if stopErr := s.streak.failed(failCode(facts)); stopErr != nil {
			s.stop.stop(reports.StopServerFailing, stopErr)
		}
	}
}

// codeCounts counts HTTP attempts by status code, "error" for no response.
type codeCounts struct {
	mu sync.Mutex
	m  map[string]int64
}

func (c *codeCounts) add(statuses []int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]int64{}
	}
	for _, st := range statuses {
		code := "error"
		if st != 0 {
			code = strconv.Itoa(st)
		}
		c.m[code]++
	}
}

// snapshot returns a copy of the counts.
func (c *codeCounts) snapshot() map[string]int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.m)
}

// failCode names what a failed request's last attempt got.
func failCode(f callFacts) string {
	if f.status != 0 {
		return fmt.Sprint(f.status)
	}
	return "no response"
}

func gaveUp(attempts int, err error) string {
	return fmt.Sprintf("gave up after %d attempt(s): %v", attempts, err)
}

func rejectMessage(e *client.APIError) string {
	msg := strings.TrimSpace(e.Message)
	if msg == "" {
		msg = fmt.Sprintf("HTTP %d", e.StatusCode)
	}
	if e.StatusCode == 404 {
		return "not found: " + msg
	}
	return "rejected by the server: " + msg
}
