package source

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"
)

func encodeWith(t *testing.T, cm *charmap.Charmap, s string) []byte {
	t.Helper()
	out, err := cm.NewEncoder().String(s)
	require.NoError(t, err)
	return []byte(out)
}

// Realistic lead lists, as Excel for Mac ("CSV", MacRoman) and Excel for
// Windows (Windows-1252) save them.
var namesByLanguage = map[string]string{
	"spanish": "First Name,Last Name,City\nJosé,García,Bogotá\nMaría,Martínez,Málaga\nÁngel,Pérez,Córdoba\n" +
		"Jesús,Sánchez,León\nInés,Gómez,Cádiz\nMuñoz,Fernández,A Coruña\n",
	"french": "Prénom,Nom,Ville\nFrançois,Lefèvre,Montréal\nHélène,Dubois,Besançon\nJérôme,Noël,Orléans\n" +
		"Élodie,Gaëlle,Genève\nCécile,Bérénice,Nîmes\n",
	"german": "Vorname,Nachname,Stadt\nJörg,Müller,Köln\nJürgen,Schröder,München\nUlrike,Bäcker,Düsseldorf\n" +
		"Günther,Weiß,Straße 5\nÖzlem,Großmann,Nürnberg\n",
	"portuguese": "Nome,Sobrenome,Cidade\nJoão,Conceição,São Paulo\nLuís,Gonçalves,Brasília\n",
	"one name":   "Name\nGarcía\n",
	"apostrophes only (Windows-1252 wins ties)": "Name\nO’Brien\nD’Angelo\n",
}

func TestAutoDetectsMacRomanAndWindows1252(t *testing.T) {
	for lang, text := range namesByLanguage {
		for _, enc := range []struct {
			name string
			cm   *charmap.Charmap
		}{{"MacRoman", charmap.Macintosh}, {"Windows-1252", charmap.Windows1252}} {
			if strings.HasPrefix(lang, "apostrophes") && enc.name == "MacRoman" {
				continue // ’ alone cannot tell the two apart; the tie goes to Windows-1252
			}
			t.Run(lang+" in "+enc.name, func(t *testing.T) {
				path := writeFile(t, "names.csv", encodeWith(t, enc.cm, text))
				src, recs, err := readAll(t, path, Options{})
				require.NoError(t, err)
				require.Len(t, src.Warnings(), 1)
				assert.Contains(t, src.Warnings()[0], "read as "+enc.name)
				var got strings.Builder
				got.WriteString(strings.Join(src.Header(), ",") + "\n")
				for _, r := range recs {
					got.WriteString(strings.Join(r.Cells, ",") + "\n")
				}
				assert.Equal(t, text, got.String())
			})
		}
	}
}

func TestExplicitMacRoman(t *testing.T) {
	for _, name := range []string{"macroman", "mac", "x-mac-roman", "MacRoman", "macintosh"} {
		t.Run(name, func(t *testing.T) {
			// 0xE9 is "È" in MacRoman: explicit wins over what detection would say.
			path := writeFile(t, "a.csv", []byte("Name\nGarc\x92a Jos\xE9\n"))
			src, recs, err := readAll(t, path, Options{Encoding: name})
			require.NoError(t, err)
			assert.Empty(t, src.Warnings())
			assert.Equal(t, []Record{rec(2, "García JosÈ")}, recs)
		})
	}
}

// A UTF-8 export with a few bad bytes stays UTF-8: the bad bytes become
// U+FFFD and their rows say where they were.
func TestUTF8WithInvalidBytes(t *testing.T) {
	var b strings.Builder
	b.WriteString("Name,City\n")
	for range 10 {
		b.WriteString("María,Zürich\n")
	}
	offset := b.Len() + len("Garc")
	b.WriteString("Garc\xEDa,K\xF6ln\n") // pasted from a Windows-1252 source
	b.WriteString("José,Málaga\n")
	path := writeFile(t, "mixed.csv", []byte(b.String()))
	src, recs, err := readAll(t, path, Options{})
	require.NoError(t, err)
	require.Len(t, recs, 12)
	assert.Equal(t, rec(2, "María", "Zürich"), recs[0])
	bad := recs[10]
	assert.Equal(t, 12, bad.Row)
	assert.Equal(t, []string{"Garc\uFFFDa", "K\uFFFDln"}, bad.Cells)
	assert.Equal(t, "2 bytes are not valid UTF-8 (the first, 0xED, at byte offset "+strconv.Itoa(offset)+"); replaced by U+FFFD", bad.Warning)
	assert.Equal(t, rec(13, "José", "Málaga"), recs[11])
	require.Len(t, src.Warnings(), 1)
	assert.Contains(t, src.Warnings()[0], "2 bytes are not valid UTF-8 (the first at byte offset "+strconv.Itoa(offset)+"); read as UTF-8")
}

// Explicit UTF-8 replaces bad bytes too, with no file-level guess to report.
func TestExplicitUTF8ReplacesInvalidBytes(t *testing.T) {
	path := writeFile(t, "a.csv", []byte("\xEF\xBB\xBFName\nJos\xE9\nAnn\n"))
	src, recs, err := readAll(t, path, Options{Encoding: "utf-8"})
	require.NoError(t, err)
	assert.Empty(t, src.Warnings())
	assert.Equal(t, []Record{
		{Row: 2, Cells: []string{"Jos\uFFFD"}, Warning: "byte 0xE9 at byte offset 11 is not valid UTF-8; replaced by U+FFFD"},
		rec(3, "Ann"),
	}, recs)
}

func TestByteStatsDecide(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  string
	}{
		{name: "valid", input: "José", want: "UTF-8"},
		{name: "many good sequences, one bad byte", input: "éééé\xE9", want: "UTF-8"},
		{name: "too few good sequences", input: "ééé Jos\xE9 M\xFCller Fran\xE7ois", want: "Windows-1252"},
		{name: "no good sequences", input: "Jos\xE9 M\xFCller", want: "Windows-1252"},
		{name: "MacRoman letters inside words", input: "Garc\x92a P\x8Erez", want: "MacRoman"},
		{name: "Windows-1252 quotes and euro", input: "\x93Quoted\x94 \x80uro", want: "Windows-1252"},
		{name: "undefined Windows-1252 bytes", input: "Fran\x8Dois", want: "MacRoman"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, err := scanBytes(context.Background(), strings.NewReader(tc.input), true)
			require.NoError(t, err)
			enc, _ := st.decide()
			assert.Equal(t, tc.want, enc.name)
		})
	}
}

// Scanning in chunks gives the same answer as in one piece.
func TestScanBytesChunked(t *testing.T) {
	input := strings.Repeat("María García \xE9 ", 30000) // over one 256 KiB chunk
	whole, err := scanBytes(context.Background(), strings.NewReader(input), true)
	require.NoError(t, err)
	pieces, err := scanBytes(context.Background(), iotest.HalfReader(strings.NewReader(input)), true)
	require.NoError(t, err)
	assert.Equal(t, whole, pieces)
	assert.Equal(t, int64(30000), whole.invalid)
	assert.Equal(t, int64(60000), whole.validSeqs)
	assert.Equal(t, int64(len("María García ")), whole.firstInvalid)
}

func TestUTF8Fixer(t *testing.T) {
	input := "ok é \xE9 €\xFF𝄞 \xE2\x82 end \xF0"
	want := "ok é \uFFFD €\uFFFD𝄞 \uFFFD\uFFFD end \uFFFD"
	readers := map[string]func(io.Reader) io.Reader{
		"whole":    func(r io.Reader) io.Reader { return r },
		"one byte": iotest.OneByteReader,
		"half":     iotest.HalfReader,
		"data+eof": iotest.DataErrReader,
	}
	for name, wrap := range readers {
		for _, bufSize := range []int{1, 3, 16, 4096} {
			t.Run(name+"/"+strconv.Itoa(bufSize), func(t *testing.T) {
				f := newUTF8Fixer(wrap(strings.NewReader(input)), 3)
				var out bytes.Buffer
				buf := make([]byte, bufSize)
				for {
					n, err := f.Read(buf)
					out.Write(buf[:n])
					if err == io.EOF {
						break
					}
					require.NoError(t, err)
				}
				assert.Equal(t, want, out.String())
				require.Len(t, f.bad, 5)
				raws := []int64{}
				for _, b := range f.bad {
					raws = append(raws, b.raw)
					assert.Equal(t, "\uFFFD", out.String()[b.out:b.out+3], "output offset %d", b.out)
				}
				base := int64(3)
				assert.Equal(t, []int64{base + 6, base + 11, base + 17, base + 18, base + 24}, raws)
			})
		}
	}
}

// One name alone is the hardest case: the few it gets wrong are a capital at
// the start of a word against a lowercase letter (Ángel, Øystein) or two
// equally plausible letters (Raúl: ú or œ).
func TestDetectionOnSingleNames(t *testing.T) {
	names := strings.Fields("José García María Martínez Pérez Sánchez Gómez Muñoz Jiménez Rodríguez Fernández Bogotá " +
		"François Hélène Lefèvre Jérôme Noël Élodie Cécile Gaëlle Müller Jörg Köln Schröder Weiß Straße Bäcker " +
		"Düsseldorf Günther Özlem João Conceição Gonçalves Brasília Raúl Ángel Inés Zoë Søren Ærø Björk Åsa Øystein")
	var wrong []string
	for _, n := range names {
		for _, enc := range []textEncoding{macRoman(), win1252()} {
			b, err := enc.dec.NewEncoder().String(n)
			require.NoError(t, err)
			st, err := scanBytes(context.Background(), strings.NewReader(b), true)
			require.NoError(t, err)
			if got, _ := st.decide(); got.name != enc.name {
				wrong = append(wrong, n+" in "+enc.name)
			}
		}
	}
	assert.LessOrEqual(t, len(wrong), 3, "wrong: %q", wrong)
}
