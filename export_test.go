package vaultspay

// WithCallObserver hands every call's result or error to f, for tests that scan what callers see (the
// secret scan). It exists only in test builds.
func WithCallObserver(f func(result any, err error)) Option {
	return func(c *config) error { c.observer = f; return nil }
}
