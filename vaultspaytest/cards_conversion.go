package vaultspaytest

import (
	"github.com/vaultspay-go/vaultspay"
)

// Conversion of a virtual card to a physical one (41-cards-controls.md §12–§13, §14.3; 40 §20).

// requestConversion applies for a physical card from an ACTIVE VIRTUAL card with no pending request:
// cardConversionStatus becomes APPLIED and the status stays ACTIVE. addressId names one of the card
// user's KYC addresses (UNKNOWN decided: the KYC address book); exactly one of addressId and address.
func (s *Server) requestConversion(r *request) (any, error) {
	return cardCall(s, r, func(in *conversionBody) cardKey { return byID(vaultspay.ID(in.CardID)) },
		func(in *conversionBody, bad *checks) {
			addressID := deref(in.AddressID)
			switch {
			case addressID < 0:
				bad.add("addressId", "must be a positive integer")
			case addressID == 0 && in.Address == nil:
				bad.add("address", "addressId or address is required")
			case addressID != 0 && in.Address != nil:
				bad.add("address", "give addressId or address, not both")
			}
			if in.Address != nil {
				checkCardAddress(bad, in.Address.address(), false, true)
			}
		},
		func(in *conversionBody, c *cardRecord, at string) (any, error) {
			if err := needType(c, at, "virtual-to-physical", vaultspay.CardTypeVirtual); err != nil {
				return nil, err
			}
			if err := needStatus(c, at, "virtual-to-physical", vaultspay.CardStatusActive); err != nil {
				return nil, err
			}
			if c.CardConversionStatus == vaultspay.CardConversionStatusApplied {
				return nil, refuse(at, "Card already has a pending conversion request")
			}
			addr := in.Address.address()
			if id := vaultspay.ID(deref(in.AddressID)); id != 0 {
				if addr = s.kycCardAddressLocked(c.UserID, id); addr == nil {
					return nil, refuse("addressId", "Address does not exist with this id")
				}
			}
			c.pendingAddress = ptr(*addr)
			c.CardConversionStatus = vaultspay.CardConversionStatusApplied
			s.touchLocked(c)
			return s.cardViewLocked(c), nil
		})
}

// kycCardAddressLocked is the user's KYC address with id as a card address, or nil.
func (s *Server) kycCardAddressLocked(user, id vaultspay.ID) *vaultspay.CardAddress {
	u := s.userLocked(user)
	if u == nil {
		return nil
	}
	for _, a := range u.kyc.addresses {
		if a.ID != id {
			continue
		}
		out := &vaultspay.CardAddress{Country: a.CountryCode, State: a.StateName, City: a.CityName,
			AddressLine1: a.AddressLine1, PostalCode: a.PostalCode, Type: vaultspay.CardAddressType(a.Type)}
		if a.AddressLine2 != "" {
			out.AddressLine2 = ptr(a.AddressLine2)
		}
		if a.Longitude != "" {
			out.Longitude = ptr(string(a.Longitude))
		}
		if a.Latitude != "" {
			out.Latitude = ptr(string(a.Latitude))
		}
		return out
	}
	return nil
}

// processConversion decides a pending request. APPROVED needs the card still ACTIVE and makes it
// PHYSICAL in ISSUANCE_IN_PROGRESS with the requested address, to continue at
// update-card-manufacturing (its PIN can be set any time); the PAN stays. REJECTED leaves the card as
// it was, and it may apply again. The remarks are stored on the card.
func (s *Server) processConversion(r *request) (any, error) {
	return cardCall(s, r, func(in *conversionDecisionBody) cardKey { return byID(vaultspay.ID(in.CardID)) },
		func(in *conversionDecisionBody, bad *checks) {
			oneOf(bad, "cardConversionStatus", vaultspay.CardConversionStatus(in.CardConversionStatus),
				vaultspay.CardConversionStatusApproved, vaultspay.CardConversionStatusRejected)
		},
		func(in *conversionDecisionBody, c *cardRecord, at string) (any, error) {
			decision := vaultspay.CardConversionStatus(in.CardConversionStatus)
			if err := notReplaced(c, at); err != nil {
				return nil, err
			}
			if c.CardConversionStatus != vaultspay.CardConversionStatusApplied {
				return nil, refuse(at, "Card has no pending conversion request")
			}
			if decision == vaultspay.CardConversionStatusApproved {
				if err := needStatus(c, at, "approving a conversion", vaultspay.CardStatusActive); err != nil {
					return nil, err
				}
			}
			if in.Remarks != nil {
				c.remarks = *in.Remarks
			}
			c.CardConversionStatus = decision
			if decision == vaultspay.CardConversionStatusRejected {
				c.pendingAddress = nil
				s.touchLocked(c)
				return s.cardViewLocked(c), nil
			}
			c.CardType, c.address, c.pendingAddress = vaultspay.CardTypePhysical, c.pendingAddress, nil
			c.manufacturing, c.delivery, c.eta = "", "", nil
			s.setStatusLocked(c, vaultspay.CardStatusIssuanceInProgress, "")
			return s.cardViewLocked(c), nil
		})
}
