package xlsx

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestInMemoryFS(t *testing.T) {
	tests := []struct {
		name string
		dir  string
		want bool
	}{
		{name: "/dev/shm is tmpfs", dir: "/dev/shm", want: true},
		{name: "/proc is not in RAM for files", dir: "/proc"},
		{name: "a missing dir counts as on disk", dir: filepath.Join(t.TempDir(), "missing")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := os.Stat(tc.dir); tc.want && err != nil {
				t.Skipf("%s: %v", tc.dir, err)
			}
			assert.Equal(t, tc.want, inMemoryFS(tc.dir))
		})
	}
}
