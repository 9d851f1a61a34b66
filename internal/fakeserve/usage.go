package fakeserve

// Usage documents the served fake for `vaultspay-fake -h` and `vaultspay fake --help`: the start
// line, --env, --seed and the control routes (00-conventions.md §14).
const Usage = `Serves the vaultspaytest fake of the VaultsPay Issuance API (the real wire protocol, envelope
included) on a loopback port until SIGINT or SIGTERM, then exits 0.

Start line: once it listens (and is seeded), one JSON line on standard output:
  {"baseURL":"http://127.0.0.1:40817","clientId":"…","clientSecret":"…","appId":"17",
   "rsaPublicKey":"<Base64 SPKI>","seed":{"userId":…,"accountId":…,"contactId":…,
   "virtualCardId":…,"physicalCardId":…}}
  "seed" is there with --seed demo only. Nothing else is printed on standard output.

--env: instead of serving in the foreground, start the server in the background (its own session,
  log in a temporary file) and print shell lines for eval, then exit:
    eval "$(vaultspay fake --seed demo --env)"
  sets VAULTSPAY_BASE_URL, VAULTSPAY_CLIENT_ID, VAULTSPAY_CLIENT_SECRET, VAULTSPAY_APP_ID,
  VAULTSPAY_RSA_PUBLIC_KEY, VAULTSPAY_FAKE_PID, VAULTSPAY_FAKE_LOG and, with --seed demo,
  VAULTSPAY_DEMO_USER_ID, _ACCOUNT_ID, _CONTACT_ID, _VIRTUAL_CARD_ID and _PHYSICAL_CARD_ID.
  Stop the server with: kill "$VAULTSPAY_FAKE_PID"

--seed demo: a KYC-verified user, an AED account funded with 1000.00 and 250.00 that sent 125.50 to
  a payment contact (three ledger lines), a virtual card (ACTIVE) and a physical one (INACTIVE).

Control routes (plain JSON, no envelope, no token; answers {"data": …} or the API's error object):
  POST /_fake/clock/advance              {"seconds": 3600}   the fake's clock: tokens expire, transfers settle
  POST /_fake/kyc/{userId}/status        {"status": "VERIFIED"}   the back office's KYC decision
  POST /_fake/accounts/{id}/fund         {"amount": "250.00"}     credit an account (ledger line, Deposit)
  POST /_fake/transfers/{id}/reverse     reverse a transfer (a REVERSED webhook follows)
  POST /_fake/webhooks                   {"url": "http://127.0.0.1:9000/hook", "secret": "optional"}
  POST /_fake/webhooks/emit              {"event": <event JSON as delivered>}   send one webhook
  POST /_fake/faults                     {"method", "path", "fault", "times"}   inject a fault
  POST /_fake/ibans                      {"iban", "known", "accountTitle", …}   how a bank look-up answers
  POST /_fake/tokens/expire              expire every access token
  POST /_fake/cards/{id}/purchase        {"amount": "25.00", "currency": "AED"}
  POST /_fake/cards/{id}/manufacturing   {"status": "MANUFACTURED"}
  POST /_fake/cards/{id}/delivery        {"status": "DELIVERED"}
  GET  /_fake/requests                   the request log
  GET  /_fake/state                      object counts
  POST /_fake/reset                      back to the initial state
  GET  /_fake/openapi.yaml               the OpenAPI description of what the fake serves
`
