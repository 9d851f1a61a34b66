// Package redis runs a fleet of VaultsPay clients and webhook receivers on one Redis: a DedupStore that
// de-duplicates webhook deliveries across every receiver, and a TokenSource that lets every client share
// one login and one refresh per expiry. It is a separate module, so the SDK itself keeps its two
// runtime dependencies; import it under another name than go-redis's package, e.g.
//
//	import vpredis "github.com/vaultspay-go/vaultspay/redis"
//
// Both work with any go-redis v9 UniversalClient (a single server, Sentinel or Cluster: every script
// touches one key). Nothing here is needed by a single process: the SDK's in-memory store and built-in
// token source are simpler and faster there.
package redis
