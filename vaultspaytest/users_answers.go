package vaultspaytest

import "github.com/vaultspay-go/vaultspay"

// The fake's wire types for users and locations: every documented field present, null when the user
// gave none (email, phone).

// userWire is a user as create-user answers it; parent is the owning agent.
type userWire struct {
	ID          vaultspay.ID `json:"id"`
	ParentID    vaultspay.ID `json:"parentId"`
	SessionID   *string      `json:"sessionId"`
	Parent      *parentWire  `json:"parent"`
	UserType    string       `json:"userType"`
	FirstName   string       `json:"firstName"`
	LastName    string       `json:"lastName"`
	Email       *string      `json:"email"`
	Username    string       `json:"username"`
	CountryCode *string      `json:"countryCode"`
	Phone       *string      `json:"phone"`
	Status      string       `json:"status"`
	FullName    string       `json:"fullName"`
	PhoneNumber *string      `json:"phoneNumber"`
}

func userWireOf(u vaultspay.User) userWire {
	out := userWire{ID: u.ID, ParentID: u.ParentID, SessionID: u.SessionID, UserType: string(u.UserType),
		FirstName: u.FirstName, LastName: u.LastName, Email: orNull(u.Email), Username: u.Username,
		CountryCode: orNull(u.CountryCode), Phone: orNull(u.Phone), Status: string(u.Status), FullName: u.FullName,
		PhoneNumber: orNull(u.PhoneNumber)}
	if p := u.Parent; p != nil {
		out.Parent = &parentWire{ID: p.ID, FirstName: p.FirstName, LastName: p.LastName, UserType: string(p.UserType),
			Email: orNull(p.Email), Username: orNull(p.Username), CountryCode: orNull(p.CountryCode), Phone: orNull(p.Phone),
			Status: orNull(string(p.Status)), FullName: orNull(p.FullName), PhoneNumber: orNull(p.PhoneNumber)}
	}
	return out
}

// parentWire is the owning agent inside a user answer.
type parentWire struct {
	ID          vaultspay.ID `json:"id"`
	FirstName   string       `json:"firstName"`
	LastName    string       `json:"lastName"`
	UserType    string       `json:"userType"`
	Email       *string      `json:"email"`
	Username    *string      `json:"username"`
	CountryCode *string      `json:"countryCode"`
	Phone       *string      `json:"phone"`
	Status      *string      `json:"status"`
	FullName    *string      `json:"fullName"`
	PhoneNumber *string      `json:"phoneNumber"`
}

// countryWire is a country as the location answers show it.
type countryWire struct {
	CreatedAt      *vaultspay.Time `json:"createdAt"`
	ID             vaultspay.ID    `json:"id"`
	Name           string          `json:"name"`
	ISO2           string          `json:"iso2"`
	ISO3           string          `json:"iso3"`
	PhoneCode      string          `json:"phoneCode"`
	Capital        string          `json:"capital"`
	Currency       string          `json:"currency"`
	CurrencySymbol string          `json:"currencySymbol"`
	Region         string          `json:"region"`
	Latitude       string          `json:"latitude"`
	Longitude      string          `json:"longitude"`
	Nationality    string          `json:"nationality"`
}

func countryWireOf(c vaultspay.Country) countryWire {
	return countryWire{CreatedAt: c.CreatedAt, ID: c.ID, Name: c.Name, ISO2: c.ISO2, ISO3: c.ISO3, PhoneCode: c.PhoneCode,
		Capital: c.Capital, Currency: c.Currency, CurrencySymbol: c.CurrencySymbol, Region: c.Region,
		Latitude: string(c.Latitude), Longitude: string(c.Longitude), Nationality: c.Nationality}
}

// stateWire is an item of list-states.
type stateWire struct {
	ID        vaultspay.ID `json:"id"`
	Name      string       `json:"name"`
	Latitude  string       `json:"latitude"`
	Longitude string       `json:"longitude"`
	CountryID vaultspay.ID `json:"countryId"`
}

// cityWire is an item of list-cities, with its country and state (the state with its country).
type cityWire struct {
	ID        vaultspay.ID   `json:"id"`
	Name      string         `json:"name"`
	Latitude  string         `json:"latitude"`
	Longitude string         `json:"longitude"`
	Country   *countryWire   `json:"country"`
	State     *cityStateWire `json:"state"`
}

type cityStateWire struct {
	ID        vaultspay.ID `json:"id"`
	Name      string       `json:"name"`
	Latitude  string       `json:"latitude"`
	Longitude string       `json:"longitude"`
	Country   *countryWire `json:"country"`
}

func countryPtr(c *vaultspay.Country) *countryWire {
	if c == nil {
		return nil
	}
	w := countryWireOf(*c)
	return &w
}

func cityWireOf(c vaultspay.City) cityWire {
	out := cityWire{ID: c.ID, Name: c.Name, Latitude: string(c.Latitude), Longitude: string(c.Longitude), Country: countryPtr(c.Country)}
	if st := c.State; st != nil {
		out.State = &cityStateWire{ID: st.ID, Name: st.Name, Latitude: string(st.Latitude), Longitude: string(st.Longitude),
			Country: countryPtr(st.Country)}
	}
	return out
}
