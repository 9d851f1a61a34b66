package vaultspay_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

// This example logs every call and every attempt of a client with middleware: the operation, its path
// template and retry rule, each attempt's status and why it was or was not retried, and the outcome.
// The first call needs a token, so the login shows up as an operation of its own.
func ExampleWithMiddleware() {
	srv := vaultspaytest.NewServer()
	defer srv.Close()
	ctx := context.Background()

	logCalls := vaultspay.Middleware{
		Call: func(next vaultspay.CallFunc) vaultspay.CallFunc {
			return func(ctx context.Context, c *vaultspay.Call) error {
				c.Header = http.Header{"X-Tenant": {"acme"}} // extra headers, never the protected ones
				err := next(ctx, c)
				fmt.Printf("call %s %s %s (%s): status %d after %d attempt(s), unknown outcome: %t\n",
					c.Operation.Name, c.Operation.Method, c.Operation.Template, c.Operation.Retry,
					c.StatusCode, c.Attempts, errors.Is(err, vaultspay.ErrOutcomeUnknown))
				return err
			}
		},
		Attempt: func(next vaultspay.AttemptFunc) vaultspay.AttemptFunc {
			return func(ctx context.Context, a *vaultspay.Attempt) error {
				err := next(ctx, a)
				fmt.Printf("  attempt %d of %s: status %d, retry %t (%s)\n", a.Number, a.Operation.Name, a.StatusCode, a.Retry, a.Reason)
				return err
			}
		},
	}
	client := srv.Client(vaultspay.WithMiddleware(logCalls))
	_, err := client.Users.Create(ctx, &vaultspay.CreateUserRequest{FirstName: "Ada", LastName: "Lovelace",
		Email: "ada@example.com", Status: vaultspay.UserStatusActive})
	fmt.Println("error:", err)
	// Output:
	//   attempt 1 of Auth.Login: status 200, retry false (answered)
	// call Auth.Login POST /as/api/v1/saas-login (read): status 200 after 1 attempt(s), unknown outcome: false
	//   attempt 1 of Users.Create: status 200, retry false (answered)
	// call Users.Create POST /as/api/v1/users (if-unsent): status 200 after 1 attempt(s), unknown outcome: false
	// error: <nil>
}

// This example bounds one slow read to 100 ms per attempt and no retry, leaving the client's defaults
// (DefaultRequestTimeout, two retries) for every other call.
func ExampleWithAttemptTimeout() {
	srv := vaultspaytest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	client := srv.Client()
	_, acct, err := exampleAccount(ctx, srv)
	if err != nil {
		fmt.Println(err)
		return
	}
	// The fake's back office delays the next read of the account by two seconds.
	if err := srv.InjectFault(vaultspaytest.Fault{Method: http.MethodGet, Path: "/be/api/v1/accounts/" + acct.ID.String(),
		Kind: vaultspaytest.FaultDelay, MS: 2000}); err != nil {
		fmt.Println(err)
		return
	}
	start := time.Now()
	_, err = client.Wallets.Get(ctx, acct.ID, vaultspay.WithAttemptTimeout(100*time.Millisecond), vaultspay.WithRetryLimit(0))
	fmt.Println("timed out:", errors.Is(err, context.DeadlineExceeded), "well before the server answered:", time.Since(start) < time.Second)

	// A protected header is refused before anything is sent.
	_, err = client.Wallets.Get(ctx, acct.ID, vaultspay.WithHeader("Authorization", "Bearer mine"))
	fmt.Println(err)
	// Output:
	// timed out: true well before the server answered: true
	// vaultspay: invalid request: header Authorization is set by the SDK and cannot be added
}
