package numfmt

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestGroup(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {1204, "1,204"}, {1234567, "1,234,567"},
		{-1234, "-1,234"}, {math.MinInt64, "-9,223,372,036,854,775,808"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) { assert.Equal(t, tc.want, Group(tc.n)) })
	}
}
