package probe

import (
	"bytes"
	"testing"
	"unicode/utf16"
)

func encodeUTF16(s string, bigEndian, bom bool) []byte {
	var out []byte
	if bom {
		if bigEndian {
			out = append(out, 0xFE, 0xFF)
		} else {
			out = append(out, 0xFF, 0xFE)
		}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

func TestDecode(t *testing.T) {
	const text = "ANTHROPIC_API_KEY=sk-ant-api03-abc\r\nOTHER=ü\r\n"
	tests := []struct {
		name string
		data []byte
		enc  string
	}{
		{"utf-8", []byte(text), EncUTF8},
		{"utf-8 bom", append([]byte{0xEF, 0xBB, 0xBF}, text...), EncUTF8BOM},
		{"powershell >", encodeUTF16(text, false, true), EncUTF16LE},
		{"utf-16le without bom", encodeUTF16(text, false, false), EncUTF16LE},
		{"utf-16be", encodeUTF16(text, true, true), EncUTF16BE},
		{"utf-16be without bom", encodeUTF16(text, true, false), EncUTF16BE},
	}
	for _, tt := range tests {
		got, enc := Decode(tt.data)
		if enc != tt.enc || !bytes.Equal(got, []byte(text)) {
			t.Errorf("%s: Decode = %q, %q; want the text, %q", tt.name, got, enc, tt.enc)
		}
	}
	// Binary data with scattered NULs is not taken for UTF-16.
	if _, enc := Decode([]byte("\x00\x01\x02\x00\x00\x05ABCDEFGH\x00")); enc != EncUTF8 {
		t.Errorf("binary data decoded as %s", enc)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte{0xFF, 0xFE, 'A', 0})
	f.Add([]byte("A\x00B\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		out, _ := Decode(data)
		if len(out) > 2*len(data)+3 {
			t.Fatalf("Decode grew %d bytes to %d", len(data), len(out))
		}
	})
}
