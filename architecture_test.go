package main

import (
	"go/build"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const module = "github.com/xonvo/xonvo-import/"

// allowedImports is ARCHITECTURE.md's table: the packages of ours each
// package may import (its non-test files). A package missing here fails
// the test, so a new one gets a line in both places.
var allowedImports = map[string][]string{
	".":                        {"internal/cli"},
	"internal/cli":             {"adaptive", "client", "importer", "mapping", "metrics", "notify", "reports", "runlock", "sandbox", "source", "state"},
	"importer":                 {"source", "mapping", "client", "reports", "wire", "state", "keyset", "internal/fsync", "internal/slab"},
	"source":                   {"source/xlsx", "source/objstore", "internal/slab"},
	"source/xlsx":              {"internal/slab", "internal/offheap"},
	"source/xlsx/xlsxtest":     nil,
	"source/objstore":          nil,
	"mapping":                  {"wire"},
	"wire":                     {"internal/jsonstr"},
	"client":                   {"wire", "adaptive", "internal/httpwait"},
	"reports":                  {"internal/jsonstr", "internal/fsync", "internal/numfmt"},
	"state":                    {"internal/numfmt"},
	"keyset":                   {"internal/offheap"},
	"runlock":                  nil,
	"adaptive":                 nil,
	"metrics":                  {"reports"},
	"notify":                   {"internal/httpwait", "internal/numfmt"},
	"sandbox":                  {"client", "wire"},
	"internal/jsonstr":         nil,
	"internal/fsync":           nil,
	"internal/httpwait":        nil,
	"internal/numfmt":          nil,
	"internal/slab":            nil,
	"internal/offheap":         nil,
	"internal/leadgen":         {"wire"},
	"internal/benchrun":        {"internal/leadgen", "sandbox"},
	"internal/golden":          nil,
	"internal/pushgatewaytest": nil,
}

func TestImportsFollowArchitecture(t *testing.T) {
	seen := map[string]bool{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if path != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "bin") {
			return filepath.SkipDir
		}
		pkg, err := build.ImportDir(path, 0)
		if _, none := err.(*build.NoGoError); none {
			return nil
		}
		require.NoError(t, err, path)
		seen[path] = true
		allowed, known := allowedImports[path]
		if !assert.True(t, known, "package %s is not in ARCHITECTURE.md's table (and allowedImports)", path) {
			return nil
		}
		for _, imp := range pkg.Imports {
			ours, found := strings.CutPrefix(imp, module)
			if !found {
				continue
			}
			assert.True(t, slices.Contains(allowed, ours), "%s imports %s, which ARCHITECTURE.md does not allow", path, ours)
		}
		return nil
	})
	require.NoError(t, err)
	for path := range allowedImports {
		assert.True(t, seen[path], "allowedImports names %s, which has no Go files", path)
	}
}
