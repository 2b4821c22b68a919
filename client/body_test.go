package client

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/wire"
)

// TestIncompleteBody checks how a 2xx whose body breaks off or stalls is
// reported when no retry is left: a body error, not "no response", worded
// by what happened. The stall is cut short by a small injected limit.
func TestIncompleteBody(t *testing.T) {
	const ms = time.Millisecond
	tests := []struct {
		name    string
		reply   reply
		opts    []Option
		wantMsg string
	}{
		{
			name:    "cut off",
			reply:   reply{status: 200, body: `{"id":`, cut: true},
			wantMsg: "POST /lead: 200 OK: the response body broke off (unexpected EOF) after 6 byte(s); the request was applied",
		},
		{
			name:    "stalled past the idle limit",
			reply:   reply{status: 200, body: `{"id":`, stall: true},
			opts:    []Option{WithBodyIdleTimeout(50 * ms)},
			wantMsg: "POST /lead: 200 OK: the response body stalled (no byte for 50ms) after 6 byte(s); the request was applied",
		},
		{
			name:    "stalled past the attempt timeout",
			reply:   reply{status: 200, body: `{"id":`, stall: true},
			opts:    []Option{WithBodyIdleTimeout(0), WithTimeout(100 * ms)},
			wantMsg: "POST /lead: 200 OK: the response body did not arrive within the attempt timeout (100ms) after 6 byte(s); the request was applied",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, tt.reply)
			c := api.newClient(t, tt.opts...)
			var info CallInfo
			err := c.AddLead(WithCallInfo(t.Context(), &info), wire.Lead{FirstName: "A"})
			require.ErrorIs(t, err, ErrBodyIncomplete)
			assert.Equal(t, tt.wantMsg, err.Error())
			assert.False(t, IsNoResponse(err), "a response came")
			assert.False(t, errors.Is(err, ErrNotAPI))
			assert.Equal(t, CallInfo{Attempts: 1, StatusCode: 200, Statuses: []int{200}}, rttChecked(t, info))
		})
	}
}

// TestCreateAccountIsNotResent: POST /accounts is not keyed, so an attempt
// that may have been applied is not repeated; answers that were certainly
// not applied still are.
func TestCreateAccountIsNotResent(t *testing.T) {
	tests := []struct {
		name      string
		replies   []reply
		wantID    int64
		wantErr   error // nil: success
		wantNoRes bool
	}{
		{"dropped", []reply{{drop: true}}, 0, nil, true},
		{"body cut off", []reply{{status: 200, body: `{"id":`, cut: true}}, 0, ErrBodyIncomplete, false},
		{"502 may have been applied", []reply{{status: 502}}, 0, ErrServer, false},
		{"503 then success", []reply{{status: 503}, {status: 200, body: `{"id": 19}`}}, 19, nil, false},
		{"429 then success", []reply{{status: 429}, {status: 200, body: `{"id": 20}`}}, 20, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, tt.replies...)
			c := api.newClient(t, WithRetry(RetryPolicy{MaxRetries: 3, Sleep: (&sleepRecorder{}).sleep}))
			id, err := c.CreateAccount(t.Context(), Account{Name: "Shop"})
			switch {
			case tt.wantNoRes:
				require.Error(t, err)
				assert.True(t, IsNoResponse(err))
			case tt.wantErr != nil:
				require.ErrorIs(t, err, tt.wantErr)
			default:
				require.NoError(t, err)
			}
			assert.Equal(t, tt.wantID, id)
			assert.Len(t, api.seenRequests(), len(tt.replies))
		})
	}
}

// fakeTimer is an idleTimer fired by hand.
type fakeTimer struct {
	d       time.Duration
	f       func()
	resets  int
	stopped bool
}

func (ft *fakeTimer) Reset(d time.Duration) bool { ft.resets++; ft.d = d; return true }
func (ft *fakeTimer) Stop() bool                 { ft.stopped = true; return true }

// chunkReader returns one chunk per Read, then io.EOF.
type chunkReader struct{ chunks []string }

func (cr *chunkReader) Read(p []byte) (int, error) {
	if len(cr.chunks) == 0 {
		return 0, io.EOF
	}
	n := copy(p, cr.chunks[0])
	cr.chunks = cr.chunks[1:]
	return n, nil
}

// TestIdleReader checks the idle timer restarts on every byte received, and
// that firing it cancels the attempt and is remembered.
func TestIdleReader(t *testing.T) {
	tests := []struct {
		name       string
		d          time.Duration
		chunks     []string
		fire       bool
		wantResets int
		wantIdled  bool
	}{
		{"each chunk restarts the timer", time.Second, []string{"ab", "", "cd", "e"}, false, 3, false},
		{"fired", time.Second, []string{"ab"}, true, 1, true},
		{"no limit", 0, []string{"ab", "cd"}, false, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ft *fakeTimer
			after := func(d time.Duration, f func()) idleTimer {
				ft = &fakeTimer{d: d, f: f}
				return ft
			}
			cancelled := false
			ir := newIdleReader(&chunkReader{chunks: tt.chunks}, tt.d, func() { cancelled = true }, after)
			got, err := io.ReadAll(ir)
			require.NoError(t, err)
			assert.Equal(t, strings.Join(tt.chunks, ""), string(got))
			if tt.d == 0 {
				assert.Nil(t, ft, "no timer without a limit")
				ir.stop()
				return
			}
			require.NotNil(t, ft)
			assert.Equal(t, tt.d, ft.d)
			if tt.fire {
				ft.f()
			}
			ir.stop()
			assert.Equal(t, tt.wantResets, ft.resets)
			assert.Equal(t, tt.wantIdled, ir.idled())
			assert.Equal(t, tt.wantIdled, cancelled)
			assert.True(t, ft.stopped)
		})
	}
}
