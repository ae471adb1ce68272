package probe

import (
	"bytes"
	"unicode/utf16"
)

// Text encodings of a file, as Decode found them.
const (
	EncUTF8    = ""          // plain UTF-8 (or ASCII): what every loader reads
	EncUTF8BOM = "utf-8-bom" // UTF-8 after a byte-order mark: python-dotenv and godotenv miss the first variable
	EncUTF16LE = "utf-16le"  // PowerShell's `>` writes this: no dotenv loader reads it
	EncUTF16BE = "utf-16be"
)

// Decode returns data as UTF-8 text and the encoding it was in: a UTF-8
// byte-order mark is dropped, UTF-16 (by its byte-order mark, or by the
// NUL in every other byte that ASCII text in UTF-16 has) is decoded. Other
// data is returned as it is. The result is never longer than twice data.
func Decode(data []byte) ([]byte, string) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:], EncUTF8BOM
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return utf16Text(data[2:], false), EncUTF16LE
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return utf16Text(data[2:], true), EncUTF16BE
	}
	if le, be := nulPattern(data); le {
		return utf16Text(data, false), EncUTF16LE
	} else if be {
		return utf16Text(data, true), EncUTF16BE
	}
	return data, EncUTF8
}

// nulPattern reports whether the first bytes look like ASCII in UTF-16:
// a NUL at every odd offset (little endian) or every even one (big endian),
// and no NUL on the other side.
func nulPattern(data []byte) (le, be bool) {
	n := min(len(data), 64) &^ 1
	if n < 4 {
		return false, false
	}
	var even, odd int
	for i := 0; i < n; i++ {
		if data[i] == 0 {
			if i%2 == 0 {
				even++
			} else {
				odd++
			}
		}
	}
	half := n / 2
	return odd == half && even == 0, even == half && odd == 0
}

func utf16Text(data []byte, bigEndian bool) []byte {
	units := make([]uint16, 0, len(data)/2)
	for i := 0; i+1 < len(data); i += 2 {
		if bigEndian {
			units = append(units, uint16(data[i])<<8|uint16(data[i+1]))
		} else {
			units = append(units, uint16(data[i+1])<<8|uint16(data[i]))
		}
	}
	return []byte(string(utf16.Decode(units)))
}
