package xlsx

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type closeCounter struct {
	io.Reader
	closed int
}

func (c *closeCounter) Close() error { c.closed++; return nil }

func TestReadAheadDeliversEveryByteInOrder(t *testing.T) {
	tests := []struct {
		name string
		size int
		read func(io.Reader) ([]byte, error)
	}{
		{name: "empty", size: 0, read: io.ReadAll},
		{name: "under one block", size: 1000, read: io.ReadAll},
		{name: "exactly one block", size: readAheadBlock, read: io.ReadAll},
		{name: "many blocks", size: 5*readAheadBlock + 17, read: io.ReadAll},
		{name: "one byte at a time", size: readAheadBlock + 3, read: func(r io.Reader) ([]byte, error) {
			return io.ReadAll(iotest.OneByteReader(r))
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := make([]byte, tc.size)
			for i := range want {
				want[i] = byte(i * 7)
			}
			src := &closeCounter{Reader: bytes.NewReader(want)}
			ra := newReadAhead(src)
			got, err := tc.read(ra)
			require.NoError(t, err)
			assert.True(t, bytes.Equal(want, got))
			require.NoError(t, ra.Close())
			assert.Equal(t, 1, src.closed)
		})
	}
}

func TestReadAheadPassesErrorsAndClosesEarly(t *testing.T) {
	boom := errors.New("inflate failed")
	ra := newReadAhead(&closeCounter{Reader: io.MultiReader(bytes.NewReader([]byte("abc")), iotest.ErrReader(boom))})
	got, err := io.ReadAll(ra)
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, "abc", string(got))
	require.NoError(t, ra.Close())

	// Closing before reading everything stops the filler.
	src := &closeCounter{Reader: bytes.NewReader(make([]byte, 10*readAheadBlock))}
	ra = newReadAhead(src)
	buf := make([]byte, 10)
	_, err = ra.Read(buf)
	require.NoError(t, err)
	require.NoError(t, ra.Close())
	assert.Equal(t, 1, src.closed)
}
