package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// maxInputLine bounds a line read from standard input or a terminal.
const maxInputLine = 8 << 10

// interactive reports whether the program can ask a question: standard input and standard error (where
// the question goes) are both terminals.
func (a *app) interactive() bool { return isTerminal(a.stdin) && isTerminal(a.stderr) }

// confirm asks question on the terminal and reports whether the answer is y or yes. Anything else,
// including an empty line or end of input, is no.
func (a *app) confirm(question string) (bool, error) {
	fmt.Fprintf(a.stderr, "%s [y/N] ", question)
	line, err := readLine(a.stdin)
	if err != nil && !errors.Is(err, io.EOF) {
		return false, err
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true, nil
	}
	return false, nil
}

// readLine reads one line, without its end, a byte at a time so that nothing after it is consumed.
func readLine(r io.Reader) (string, error) {
	var b strings.Builder
	buf := make([]byte, 1)
	for b.Len() < maxInputLine {
		n, err := r.Read(buf)
		if n == 1 {
			if buf[0] == '\n' {
				return strings.TrimSuffix(b.String(), "\r"), nil
			}
			b.WriteByte(buf[0])
		}
		if err != nil {
			return b.String(), err
		}
	}
	return "", fmt.Errorf("input line longer than %d bytes", maxInputLine)
}

// secretInput reads the secret values named by prompts: with fromStdin one line each from standard
// input (which must not be a terminal: it would echo), else typed on the terminal without echo, each
// prompt on standard error. flag is the option that selects stdin, for the error messages. The values
// are never printed.
func (a *app) secretInput(flag string, fromStdin bool, prompts ...string) ([]string, error) {
	out := make([]string, len(prompts))
	if fromStdin {
		if err := a.claimStdin(flag); err != nil {
			return nil, err
		}
		if isTerminal(a.stdin) {
			return nil, usagef("%s: standard input is a terminal; leave out %s to type without echo", flag, flag)
		}
		br := bufio.NewReader(io.LimitReader(a.stdin, maxInputLine))
		for i, p := range prompts {
			line, err := br.ReadString('\n')
			if strings.TrimSpace(line) == "" {
				if err == nil || errors.Is(err, io.EOF) {
					return nil, usagef("%s: standard input holds no line for %s", flag, strings.ToLower(p))
				}
				return nil, fmt.Errorf("%s: reading standard input: %w", flag, err)
			}
			out[i] = strings.TrimSpace(line)
		}
		return out, nil
	}
	f, ok := a.stdin.(*os.File)
	if !ok || !isTerminal(f) {
		return nil, usagef("standard input is not a terminal: pipe the value in with %s", flag)
	}
	for i, p := range prompts {
		fmt.Fprintf(a.stderr, "%s: ", p)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(a.stderr)
		if err != nil {
			return nil, fmt.Errorf("reading %s from the terminal: %w", strings.ToLower(p), err)
		}
		if out[i] = strings.TrimSpace(string(b)); out[i] == "" {
			return nil, usagef("%s: nothing typed", strings.ToLower(p))
		}
	}
	return out, nil
}
