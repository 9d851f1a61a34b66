package vaultspaytest

import (
	"slices"
	"strings"

	"github.com/vaultspay-go/vaultspay"
)

// Issuance and Card Details (40-cards-issuance.md §5–§16).

func (s *Server) listCardTiers(*request) (any, error) {
	tiers := fakeCardTiers()
	out := make([]cardTierWire, len(tiers))
	for i, t := range tiers {
		out[i] = tierWire(t)
	}
	return out, nil
}

// embossingNames answers the documented 422 1000 on key "id" for an unknown user.
func (s *Server) embossingNames(r *request) (any, error) {
	id, err := pathID(r, "userId", vaultspay.CodeBadRequest)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userLocked(id)
	if u == nil {
		return nil, errInvalidPayload(vaultspay.FieldError{Key: "id", Reason: "User does not exist with this id"})
	}
	return vaultspay.EmbossingNameOptions{Names: embossingNames(u)}, nil
}

// checkCardAddress adds the problems of a card address: every field but addressLine2 is required
// once an address is sent (40 §7), type too when typ, the coordinates when coords (41 §12). The
// coordinates are not range-checked (the vendor's own example has latitude 716.70).
func checkCardAddress(bad *checks, a *vaultspay.CardAddress, typ, coords bool) {
	const p = "address."
	if !fakeAlpha3.MatchString(a.Country) {
		bad.add(p+"country", "must be an ISO 3166-1 alpha-3 code")
	}
	bad.require(p+"state", strings.TrimSpace(a.State) != "")
	bad.require(p+"city", strings.TrimSpace(a.City) != "")
	bad.require(p+"addressLine1", strings.TrimSpace(a.AddressLine1) != "")
	bad.require(p+"postalCode", strings.TrimSpace(a.PostalCode) != "")
	if typ {
		bad.require(p+"type", a.Type != "")
	}
	if coords {
		bad.require(p+"longitude", a.Longitude != nil && strings.TrimSpace(*a.Longitude) != "")
		bad.require(p+"latitude", a.Latitude != nil && strings.TrimSpace(*a.Latitude) != "")
	}
}

// createCard issues a card. The user must exist, the account must exist and belong to the user, the
// tier must exist, and cardHolderName must be one of the user's embossing names (a switch). A PHYSICAL
// card needs an address; one sent with a VIRTUAL card is checked and ignored (UNKNOWN decided). Whether
// the tier offers the card type, the account's currency and the KYC status are not checked.
func (s *Server) createCard(r *request) (any, error) {
	in, err := decode[createCardBody](r)
	if err != nil {
		return nil, err
	}
	customer, account, typ, addr := vaultspay.ID(in.CustomerID), vaultspay.ID(in.AccountID), vaultspay.CardType(in.CardType),
		in.Address.address()
	var bad checks
	bad.require("cardTierId", in.CardTierID > 0)
	bad.require("customerId", customer > 0)
	bad.require("accountId", account > 0)
	oneOf(&bad, "cardType", typ, vaultspay.CardTypePhysical, vaultspay.CardTypeVirtual)
	bad.require("cardHolderName", strings.TrimSpace(in.CardHolderName) != "")
	switch {
	case addr != nil:
		checkCardAddress(&bad, addr, true, false)
	case typ == vaultspay.CardTypePhysical:
		bad.add("address", "is required for a PHYSICAL card")
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userLocked(customer)
	if u == nil {
		bad.add("customerId", "User does not exist with this id")
	}
	tier, ok := cardTierByID(vaultspay.ID(in.CardTierID))
	if !ok {
		bad.add("cardTierId", "Card tier does not exist with this id")
	}
	a := s.st.wallets.byID[account]
	switch {
	case a == nil:
		bad.add("accountId", "Account does not exist with this id")
	case a.UserID != customer:
		bad.add("accountId", "Account does not belong to this customer")
	}
	if u != nil && !s.cardRules.SkipEmbossingCheck && !slices.Contains(embossingNames(u), in.CardHolderName) {
		bad.add("cardHolderName", "must be one of the customer's embossing names")
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	if typ == vaultspay.CardTypeVirtual {
		addr = nil
	}
	c := s.issueCardLocked(u, a, tier, typ, in.CardHolderName, addr, s.cardRules.initial(typ), "")
	return s.cardViewLocked(c), nil
}

// processCard submits a card in its creation status for issuance: ISSUANCE_IN_PROGRESS. A PHYSICAL
// card needs its PIN (a switch). A card created ACTIVE (a VIRTUAL card by default) has nothing to
// process and is refused; a VIRTUAL card configured to start in another status may be processed and
// is then activated with activate-card (UNKNOWN decided).
func (s *Server) processCard(r *request) (any, error) {
	return cardCall(s, r, func(in *processCardBody) cardKey { return byID(vaultspay.ID(in.CardID)) },
		func(in *processCardBody, bad *checks) {
			oneOf(bad, "status", vaultspay.CardStatus(in.Status), vaultspay.CardStatusIssuanceInProgress)
		},
		func(in *processCardBody, c *cardRecord, at string) (any, error) {
			from := s.cardRules.initial(c.CardType)
			if from == vaultspay.CardStatusActive {
				return nil, refuse(at, "Card is %s and was issued %s; it needs no processing", c.CardType, from)
			}
			if err := needStatus(c, at, "process-card-request", from); err != nil {
				return nil, err
			}
			if c.CardType == vaultspay.CardTypePhysical && !c.PINSet && !s.cardRules.SkipPINCheck {
				return nil, refuse(at, "Card PIN is not set; set it with set-pin first")
			}
			if in.Remarks != nil {
				c.remarks = *in.Remarks
			}
			s.setStatusLocked(c, vaultspay.CardStatusIssuanceInProgress, deref(in.StatusReason))
			return s.cardViewLocked(c), nil
		})
}

// updateManufacturing records any manufacturing status of a PHYSICAL card in ISSUANCE_IN_PROGRESS;
// the card status does not change.
func (s *Server) updateManufacturing(r *request) (any, error) {
	return cardCall(s, r, (*manufacturingBody).key,
		func(in *manufacturingBody, bad *checks) {
			bad.require("cardManufacturingStatus", strings.TrimSpace(in.CardManufacturingStatus) != "")
		},
		func(in *manufacturingBody, c *cardRecord, at string) (any, error) {
			return s.manufactureLocked(c, at, vaultspay.CardManufacturingStatus(in.CardManufacturingStatus), deref(in.StatusReason))
		})
}

func (s *Server) manufactureLocked(c *cardRecord, at string, st vaultspay.CardManufacturingStatus, reason string) (any, error) {
	if err := needType(c, at, "update-card-manufacturing", vaultspay.CardTypePhysical); err != nil {
		return nil, err
	}
	if err := needStatus(c, at, "update-card-manufacturing", vaultspay.CardStatusIssuanceInProgress); err != nil {
		return nil, err
	}
	c.manufacturing = st
	if reason != "" {
		c.StatusReason = reason
	}
	s.touchLocked(c)
	return c.stage(), nil
}

// updateDelivery records the delivery status of a PHYSICAL card in ISSUANCE_IN_PROGRESS. DELIVERED
// needs manufacturing status MANUFACTURED (a switch) and moves the card to PENDING_VERIFICATION; other
// values are recorded and leave the status (UNKNOWN decided).
func (s *Server) updateDelivery(r *request) (any, error) {
	var eta *vaultspay.DeliveryTime
	return cardCall(s, r, func(in *deliveryBody) cardKey { return byID(vaultspay.ID(in.CardID)) },
		func(in *deliveryBody, bad *checks) {
			bad.require("deliveryStatus", strings.TrimSpace(in.DeliveryStatus) != "")
			eta = in.eta(bad)
		},
		func(in *deliveryBody, c *cardRecord, at string) (any, error) {
			return s.deliverLocked(c, at, vaultspay.CardDeliveryStatus(in.DeliveryStatus), eta)
		})
}

func (s *Server) deliverLocked(c *cardRecord, at string, st vaultspay.CardDeliveryStatus, eta *vaultspay.DeliveryTime) (any, error) {
	if err := needType(c, at, "update-delivery-status", vaultspay.CardTypePhysical); err != nil {
		return nil, err
	}
	if err := needStatus(c, at, "update-delivery-status", vaultspay.CardStatusIssuanceInProgress); err != nil {
		return nil, err
	}
	if st == vaultspay.CardDeliveryStatusDelivered && c.manufacturing != vaultspay.CardManufacturingStatusManufactured &&
		!s.cardRules.SkipManufacturingCheck {
		return nil, refuse(at, "Card is not MANUFACTURED yet; record it with update-card-manufacturing first")
	}
	c.delivery = st
	if eta != nil && !eta.IsZero() {
		c.eta = ptr(*eta)
	}
	if st == vaultspay.CardDeliveryStatusDelivered {
		s.setStatusLocked(c, vaultspay.CardStatusPendingVerification, "")
	} else {
		s.touchLocked(c)
	}
	return c.stage(), nil
}

// activateCard activates a delivered PHYSICAL card (PENDING_VERIFICATION), or a VIRTUAL card in
// ISSUANCE_IN_PROGRESS (one made by renew or replace: UNKNOWN decided), when pan and expiryDate are
// the card's own (a switch). The answer has no token, as documented.
func (s *Server) activateCard(r *request) (any, error) {
	return cardCall(s, r, (*activateBody).key,
		func(in *activateBody, bad *checks) {
			bad.require("pan", in.PAN != "")
			bad.require("expiryDate", in.ExpiryDate != "")
		},
		func(in *activateBody, c *cardRecord, at string) (any, error) {
			from := vaultspay.CardStatusPendingVerification
			if c.CardType == vaultspay.CardTypeVirtual {
				from = vaultspay.CardStatusIssuanceInProgress
			}
			if err := needStatus(c, at, "activate-card", from); err != nil {
				return nil, err
			}
			if !s.cardRules.SkipActivationCheck {
				var bad checks
				if in.PAN != c.pan {
					bad.add("pan", "does not match the card")
				}
				if in.ExpiryDate != c.expiry {
					bad.add("expiryDate", "does not match the card (MM/YY)")
				}
				if err := bad.err(); err != nil {
					return nil, err
				}
			}
			c.activatedAt = &vaultspay.Time{Time: s.nowLocked().UTC()}
			s.setStatusLocked(c, vaultspay.CardStatusActive, "")
			return cardActivationWire{CardID: c.ID, CardStatus: string(c.Status), StatusReason: orNull(c.StatusReason)}, nil
		})
}

// setPIN sets or changes the PIN of a PHYSICAL card in any status but BLOCK (UNKNOWN decided). The
// PIN is 4 to 6 digits and is never answered or logged.
func (s *Server) setPIN(r *request) (any, error) {
	return cardCall(s, r, (*pinBody).key,
		func(in *pinBody, bad *checks) {
			if p := in.PIN; len(p) < 4 || len(p) > 6 || !fakeDigits.MatchString(p) {
				bad.add("pin", "must be 4 to 6 digits")
			}
		},
		func(in *pinBody, c *cardRecord, at string) (any, error) {
			if err := needType(c, at, "set-pin", vaultspay.CardTypePhysical); err != nil {
				return nil, err
			}
			if err := notReplaced(c, at); err != nil {
				return nil, err
			}
			if c.Status == vaultspay.CardStatusBlock {
				return nil, refuse(at, "Card status is BLOCK; set-pin needs a card that is not blocked")
			}
			c.pin, c.PINSet = in.PIN, true
			s.touchLocked(c)
			return cardPINWire{CardID: c.ID, CardToken: c.Token, PINSet: true}, nil
		})
}

// readCard answers what of reads from a card named by a lookup body, in any status.
func (s *Server) readCard(r *request, of func(c *cardRecord) any) (any, error) {
	return cardCall(s, r, func(in *cardLookupBody) cardKey {
		return cardKey{ref: vaultspay.CardRef{ID: vaultspay.ID(deref(in.CardID)), Token: vaultspay.CardToken(deref(in.Token))},
			tokenKey: "token"}
	}, nil, func(_ *cardLookupBody, c *cardRecord, _ string) (any, error) { return of(c), nil })
}

func (s *Server) cardDetails(r *request) (any, error) {
	return s.readCard(r, func(c *cardRecord) any { return s.cardViewLocked(c) })
}

func (s *Server) cardPAN(r *request) (any, error) {
	return s.readCard(r, func(c *cardRecord) any { return vaultspay.CardPAN{PAN: vaultspay.PAN(c.pan)} })
}

func (s *Server) cardCVV(r *request) (any, error) {
	return s.readCard(r, func(c *cardRecord) any { return vaultspay.CardCVV{CVV: vaultspay.CVV(c.cvv)} })
}

func (s *Server) cardExpiry(r *request) (any, error) {
	return s.readCard(r, func(c *cardRecord) any { return vaultspay.CardExpiry{Expiry: vaultspay.Expiry(c.expiry)} })
}
