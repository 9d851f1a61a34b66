package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/spf13/cobra"
)

// maxAPIData bounds what --data reads.
const maxAPIData = 10 << 20

func (a *app) apiCommand() *cobra.Command {
	var (
		data   string
		reveal bool
	)
	cmd := &cobra.Command{Use: "api <METHOD> <PATH>", Short: "call any endpoint through the SDK (envelope, token and errors handled), like gh api",
		Long: `Calls any endpoint through Client.Do: the body is encrypted, the token added and refreshed, and
the answer's "data" (or the whole answer when it has none) printed as JSON.

  vaultspay api GET /us/api/v1/countries
  vaultspay api POST /as/api/v1/users --data '{"firstName":"Ada","lastName":"Lovelace","status":"ACTIVE"}'
  vaultspay api POST /as/api/v1/users --data @user.json
  echo '{…}' | vaultspay api POST /as/api/v1/users --data -

A write that may have reached the server and got no clear answer fails with an "outcome unknown"
error and is not sent again. Card numbers, CVVs, expiries, PINs, tokens, document and tax numbers in
the answer are masked unless --reveal.`,
		Args: cobra.ExactArgs(2)}
	cmd.Flags().StringVarP(&data, "data", "d", "", "JSON body: inline, @file, or - for standard input")
	cmd.Flags().BoolVar(&reveal, "reveal", false, "print card data, PINs, tokens, document and tax numbers unmasked")
	cmd.RunE = a.do(func(ctx context.Context, args []string) error {
		method := strings.ToUpper(args[0])
		switch method {
		case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodHead:
		default:
			return usagef("api: %q is not an HTTP method (GET, POST, PUT, PATCH, DELETE)", args[0])
		}
		path := args[1]
		if !strings.HasPrefix(path, "/") {
			return usagef("api: path %q must start with /", path)
		}
		var body any
		if data != "" {
			raw, err := a.readData(data)
			if err != nil {
				return err
			}
			body = json.RawMessage(raw)
		}
		c, err := a.sdk()
		if err != nil {
			return err
		}
		var out json.RawMessage
		if err := c.Do(ctx, method, path, body, &out); err != nil {
			return err
		}
		if len(bytes.TrimSpace(out)) == 0 {
			return nil
		}
		if !reveal {
			out, _ = maskJSON(out)
		}
		var pretty bytes.Buffer
		if json.Indent(&pretty, out, "", "  ") != nil {
			pretty.Reset()
			pretty.Write(out)
		}
		pretty.WriteByte('\n')
		_, err = a.stdout.Write(pretty.Bytes())
		return err
	})
	return cmd
}

// readData returns --data's JSON: inline, from @file, or from standard input for "-".
func (a *app) readData(data string) ([]byte, error) {
	var raw []byte
	var err error
	switch {
	case data == "-":
		if err := a.claimStdin("--data -"); err != nil {
			return nil, err
		}
		raw, err = io.ReadAll(io.LimitReader(a.stdin, maxAPIData+1))
	case strings.HasPrefix(data, "@"):
		var f *os.File
		if f, err = os.Open(data[1:]); err == nil {
			raw, err = io.ReadAll(io.LimitReader(f, maxAPIData+1))
			_ = f.Close()
		}
	default:
		raw = []byte(data)
	}
	switch {
	case err != nil:
		return nil, usagef("api: --data: %v", err)
	case len(raw) > maxAPIData:
		return nil, usagef("api: --data: over %d bytes", maxAPIData)
	case !json.Valid(raw):
		return nil, usagef("api: --data is not valid JSON")
	}
	return raw, nil
}
