// Package redact makes text that came from the network safe to print: it masks secrets the caller
// knows, card-number-shaped digit runs, and escapes control characters so that a hostile server cannot
// write terminal escape sequences into a log line or a terminal. The SDK's errors and the CLI share it.
package redact

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Mask replaces a known secret.
const Mask = "[redacted]"

// minKnown is the shortest known secret that is masked: a shorter one would mask ordinary words.
const minKnown = 6

// Text returns s with every occurrence of a known secret (6 bytes or longer) replaced by Mask, digit
// runs that could be a card number masked with '#' (8 or more digits in a row, or 12 or more digits
// grouped by single spaces or dashes, as "4111 1111 1111 1111" is written), and control characters
// escaped (see Control). Invalid UTF-8 becomes '?'.
func Text(s string, known ...string) string {
	return Control(Digits(Known(strings.ToValidUTF8(s, "?"), known), 8, 12))
}

// Known replaces every occurrence in s of a known secret 6 bytes or longer with Mask, and a shorter
// all-digit one of 3 to 5 digits (a CVV, a PIN) wherever it stands as a whole number, not inside a
// longer one.
func Known(s string, known []string) string {
	for _, k := range known {
		switch {
		case len(k) >= minKnown:
			s = strings.ReplaceAll(s, k, Mask)
		case len(k) >= 3 && strings.Trim(k, "0123456789") == "":
			s = wholeNumber(s, k)
		}
	}
	return s
}

// wholeNumber masks the digit runs of s that equal k.
func wholeNumber(s, k string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if s[i:j] == k {
			b.WriteString(Mask)
		} else {
			b.WriteString(s[i:j])
		}
		i = j
	}
	return b.String()
}

// Digits masks with '#' every run of at least run digits, and every group of digits joined by single
// spaces or dashes that holds at least grouped digits in all; separators are kept.
func Digits(s string, run, grouped int) string {
	b := []byte(s)
	var runs [][2]int // the digit runs of the current group
	for i := 0; i < len(b); {
		if !isDigit(b[i]) {
			i++
			continue
		}
		runs, digits := runs[:0], 0
		j := i
		for {
			k := j
			for k < len(b) && isDigit(b[k]) {
				k++
			}
			runs = append(runs, [2]int{j, k})
			digits += k - j
			if k+1 < len(b) && (b[k] == ' ' || b[k] == '-') && isDigit(b[k+1]) {
				j = k + 1
				continue
			}
			i = k
			break
		}
		for _, r := range runs {
			if digits >= grouped || r[1]-r[0] >= run {
				for p := r[0]; p < r[1]; p++ {
					b[p] = '#'
				}
			}
		}
	}
	return string(b)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// Control escapes characters that a terminal or a log viewer would act on rather than show: C0 and
// C1 controls (ESC, BEL, CR, LF, tab…), DEL, and the Unicode bidirectional and zero-width
// formatting characters that can reorder or hide text. Each is written as a Go escape (\x1b, \u202e).
func Control(s string) string {
	if strings.IndexFunc(s, unsafe) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			b.WriteByte('?')
		case !unsafe(r):
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

func unsafe(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x200b && r <= 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0xfeff:
		return true
	}
	return false
}

// SecretMember reports whether a JSON member named key (any case) holds a secret value wherever it
// appears, in a request or an answer: card data (pan, cvv, cvv2, pin, expiry, expiryDate), tokens and
// the client secret, identity document and tax numbers. The SDK masks these values where a server
// echoes them; the CLI masks them in what it prints.
func SecretMember(key string) bool {
	switch strings.ToLower(key) {
	case "pan", "cvv", "cvv2", "pin", "expiry", "expirydate",
		"accesstoken", "refreshtoken", "clientsecret", "documentnumber", "tin":
		return true
	}
	return false
}
