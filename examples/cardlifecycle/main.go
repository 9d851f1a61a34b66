// Command cardlifecycle takes a physical card from creation to ACTIVE, freezes and unfreezes it, and
// prints its number masked: create → set PIN → process → manufacturing → delivery → activate with the
// PAN and expiry printed on the card. With no VAULTSPAY_* variables set it starts the vaultspaytest
// fake in-process, so it works offline; with them set it talks to the configured environment (and
// issues a real card there). It never prints a PAN, CVV, expiry or PIN.
//
//	go run ./examples/cardlifecycle
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/vaultspay-go/vaultspay"
	"github.com/vaultspay-go/vaultspay/vaultspaytest"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "cardlifecycle:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	client, closeFn, err := connect()
	if err != nil {
		return err
	}
	defer closeFn()
	step := 0
	say := func(format string, args ...any) {
		step++
		fmt.Fprintf(out, "%2d. "+format+"\n", append([]any{step}, args...)...)
	}

	user, err := client.Users.Create(ctx, &vaultspay.CreateUserRequest{FirstName: "Ada", LastName: "Lovelace",
		Email: fmt.Sprintf("ada.%d@example.com", time.Now().UnixNano()), Status: vaultspay.UserStatusActive})
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	account, err := client.Wallets.Create(ctx, &vaultspay.CreateAccountRequest{UserID: user.ID, CurrencyID: 2,
		AccountType: vaultspay.AccountTypeDigital})
	if err != nil {
		return fmt.Errorf("open account: %w", err)
	}
	say("user %d (%s) with %s account %d", user.ID, user.FullName, account.CurrencyCode, account.ID)

	tier, name, err := chooseTierAndName(ctx, client, user.ID)
	if err != nil {
		return err
	}
	card, err := client.Cards.Create(ctx, &vaultspay.CreateCardRequest{CardTierID: tier.ID, CustomerID: user.ID,
		AccountID: account.ID, CardType: vaultspay.CardTypePhysical, CardHolderName: name,
		Address: &vaultspay.CardAddress{Country: "PAK", State: "Punjab", City: "Rawalpindi", AddressLine1: "12 Murree Road",
			Type: vaultspay.CardAddressTypeMailing, PostalCode: "46000"}})
	if err != nil {
		return fmt.Errorf("create card: %w", err)
	}
	say("created physical card %d on %q for %q, status %s", card.ID, tier.Title, name, card.Status)

	ref := vaultspay.CardByID(card.ID)
	if _, err := client.Cards.SetPIN(ctx, &vaultspay.SetPINRequest{CardRef: ref, PIN: "4821"}); err != nil {
		return fmt.Errorf("set PIN: %w", err)
	}
	say("PIN set (the PIN itself never prints: %v)", vaultspay.PIN("4821"))
	processed, err := client.Cards.ProcessRequest(ctx, &vaultspay.ProcessCardRequest{CardID: card.ID,
		StatusReason: vaultspay.Ptr("new card")})
	if err != nil {
		return fmt.Errorf("process: %w", err)
	}
	say("submitted for production: %s", processed.Status)
	if _, err := client.Cards.UpdateManufacturing(ctx, &vaultspay.UpdateCardManufacturingRequest{CardRef: ref,
		CardManufacturingStatus: vaultspay.CardManufacturingStatusManufactured}); err != nil {
		return fmt.Errorf("manufacturing: %w", err)
	}
	delivered, err := client.Cards.UpdateDelivery(ctx, &vaultspay.UpdateCardDeliveryRequest{CardID: card.ID,
		DeliveryStatus: vaultspay.CardDeliveryStatusDelivered})
	if err != nil {
		return fmt.Errorf("delivery: %w", err)
	}
	say("manufactured and delivered: %s", delivered.Status)

	// The holder types in what is printed on the card; here it is read through the API.
	pan, err := client.Cards.PAN(ctx, ref)
	if err != nil {
		return fmt.Errorf("read PAN: %w", err)
	}
	expiry, err := client.Cards.Expiry(ctx, ref)
	if err != nil {
		return fmt.Errorf("read expiry: %w", err)
	}
	activated, err := client.Cards.Activate(ctx, &vaultspay.ActivateCardRequest{CardRef: ref, PAN: pan, ExpiryDate: expiry})
	if err != nil {
		return fmt.Errorf("activate: %w", err)
	}
	say("activated card %v (expiry %v): %s", pan, expiry, activated.Status)

	for range 2 {
		up, err := client.Cards.ToggleFreeze(ctx, &vaultspay.ToggleFreezeRequest{CardRef: ref})
		if err != nil {
			return fmt.Errorf("toggle freeze: %w", err)
		}
		say("toggled freeze: %s", up.Status)
	}
	final, err := client.Cards.Details(ctx, ref)
	if err != nil {
		return fmt.Errorf("details: %w", err)
	}
	say("card now: %v", final)
	return nil
}

// chooseTierAndName picks the first tier that offers physical cards and the user's longest embossing name.
func chooseTierAndName(ctx context.Context, client *vaultspay.Client, user vaultspay.ID) (vaultspay.CardTier, string, error) {
	tiers, err := client.Cards.ListTiers(ctx)
	if err != nil {
		return vaultspay.CardTier{}, "", fmt.Errorf("card tiers: %w", err)
	}
	names, err := client.Cards.EmbossingNames(ctx, user)
	if err != nil || len(names) == 0 {
		return vaultspay.CardTier{}, "", fmt.Errorf("embossing names: %v", err)
	}
	name := names[0]
	for _, n := range names {
		if len(n) > len(name) {
			name = n
		}
	}
	for _, t := range tiers {
		if t.CardTypes == "" || strings.Contains(t.CardTypes, string(vaultspay.CardTypePhysical)) {
			return t, name, nil
		}
	}
	return vaultspay.CardTier{}, "", fmt.Errorf("no card tier offers physical cards")
}

// connect uses the VAULTSPAY_* variables when any is set, else an in-process fake.
func connect() (*vaultspay.Client, func(), error) {
	if vaultspay.EnvConfigured() {
		c, err := vaultspay.NewClientFromEnv()
		return c, func() {}, err
	}
	srv, err := vaultspaytest.NewUnstartedServer()
	if err != nil {
		return nil, nil, err
	}
	if err := srv.Start(); err != nil {
		return nil, nil, err
	}
	return srv.Client(), srv.Close, nil
}
