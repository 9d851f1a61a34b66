package vaultspaytest

import "github.com/vaultspay-go/vaultspay"

// locations is the fake's location table: a few real countries with some of their states and cities.
// Ids follow the vendor's examples where they show one (Pakistan 167, Islamabad Capital Territory
// 3169, Islamabad 85475, Afghanistan 1, Badghis 3871, Ghormach 72) and the public dataset those
// examples come from otherwise.
type locations struct {
	countries []vaultspay.Country
	states    []vaultspay.State
	cities    []vaultspay.City
}

type countryRow struct {
	id                                                         vaultspay.ID
	name, iso2, iso3, phone, capital, currency, symbol, region string
	lat, lng                                                   vaultspay.Coordinate
	nationality                                                string
}

type stateRow struct {
	id, country vaultspay.ID
	name        string
	lat, lng    vaultspay.Coordinate
	cities      []cityRow
}

type cityRow struct {
	id       vaultspay.ID
	name     string
	lat, lng vaultspay.Coordinate
}

func newLocations(now vaultspay.Time) *locations {
	countries := []countryRow{
		{1, "Afghanistan", "AF", "AFG", "93", "Kabul", "AFN", "؋", "Asia", "33.00000000", "65.00000000", "Afghan"},
		{167, "Pakistan", "PK", "PAK", "92", "Islamabad", "PKR", "₨", "Asia", "30.00000000", "70.00000000", "Pakistani"},
		{231, "United Arab Emirates", "AE", "ARE", "971", "Abu Dhabi", "AED", "إ.د", "Asia", "24.00000000", "54.00000000", "Emirati"},
		{232, "United Kingdom", "GB", "GBR", "44", "London", "GBP", "£", "Europe", "54.00000000", "-2.00000000", "British"},
		{233, "United States", "US", "USA", "1", "Washington", "USD", "$", "Americas", "38.00000000", "-97.00000000", "American"},
	}
	states := []stateRow{
		{3871, 1, "Badghis", "35.16713390", "63.76953840", []cityRow{{72, "Ghormach", "35.73062000", "63.78264000"}, {73, "Qala i Naw", "34.98735000", "63.12891000"}}},
		{3901, 1, "Kabul", "34.55534940", "69.20748600", []cityRow{{110, "Kabul", "34.52813000", "69.17233000"}}},
		{3169, 167, "Islamabad Capital Territory", "33.72049970", "73.04052770", []cityRow{{85475, "Islamabad", "33.72148000", "73.04329000"}}},
		{3172, 167, "Azad Kashmir", "33.92590550", "73.78103340", []cityRow{{85390, "Muzaffarabad", "34.37002000", "73.47082000"}}},
		{3174, 167, "Balochistan", "28.49073320", "65.09577920", []cityRow{{85398, "Quetta", "30.18327000", "66.99987000"}}},
		{3176, 167, "Punjab", "31.14713050", "75.34121790", []cityRow{{85556, "Lahore", "31.55800000", "74.35071000"}, {85566, "Rawalpindi", "33.60007000", "73.06790000"}}},
		{3175, 167, "Sindh", "25.89430180", "68.52471490", []cityRow{{85499, "Karachi", "24.86080000", "67.01040000"}}},
		{3391, 231, "Dubai", "25.20484930", "55.27078280", []cityRow{{131300, "Dubai", "25.07725000", "55.30927000"}}},
		{3396, 231, "Abu Dhabi", "24.45387520", "54.37734380", []cityRow{{131290, "Abu Dhabi", "24.45118000", "54.39696000"}, {131293, "Al Ain", "24.19167000", "55.76056000"}}},
		{2336, 232, "England", "52.35551770", "-1.17431970", []cityRow{{48194, "London", "51.50853000", "-0.12574000"}, {48407, "Manchester", "53.48095000", "-2.23743000"}}},
		{1416, 233, "California", "36.11624530", "-119.68157310", []cityRow{{111093, "Los Angeles", "34.05223000", "-118.24368000"}, {111198, "San Francisco", "37.77493000", "-122.41942000"}}},
		{1452, 233, "New York", "40.71277530", "-74.00597280", []cityRow{{123303, "New York City", "40.71427000", "-74.00597000"}}},
	}
	l := &locations{}
	byID := map[vaultspay.ID]*vaultspay.Country{}
	for _, c := range countries {
		created := now
		l.countries = append(l.countries, vaultspay.Country{ID: c.id, Name: c.name, ISO2: c.iso2, ISO3: c.iso3,
			PhoneCode: c.phone, Capital: c.capital, Currency: c.currency, CurrencySymbol: c.symbol, Region: c.region,
			Latitude: c.lat, Longitude: c.lng, Nationality: c.nationality, CreatedAt: &created})
	}
	for i := range l.countries {
		byID[l.countries[i].ID] = &l.countries[i]
	}
	for _, s := range states {
		l.states = append(l.states, vaultspay.State{ID: s.id, Name: s.name, Latitude: s.lat, Longitude: s.lng, CountryID: s.country})
		country := byID[s.country]
		embedded := vaultspay.State{ID: s.id, Name: s.name, Latitude: s.lat, Longitude: s.lng, Country: country}
		for _, c := range s.cities {
			l.cities = append(l.cities, vaultspay.City{ID: c.id, Name: c.name, Latitude: c.lat, Longitude: c.lng,
				Country: country, State: &embedded})
		}
	}
	return l
}

func (l *locations) country(id vaultspay.ID) *vaultspay.Country {
	for i := range l.countries {
		if l.countries[i].ID == id {
			return &l.countries[i]
		}
	}
	return nil
}

func (l *locations) state(id vaultspay.ID) *vaultspay.State {
	for i := range l.states {
		if l.states[i].ID == id {
			return &l.states[i]
		}
	}
	return nil
}

func (l *locations) city(id vaultspay.ID) *vaultspay.City {
	for i := range l.cities {
		if l.cities[i].ID == id {
			return &l.cities[i]
		}
	}
	return nil
}

// statesOf and citiesOf return copies, never nil.
func (l *locations) statesOf(country vaultspay.ID) []vaultspay.State {
	out := []vaultspay.State{}
	for _, s := range l.states {
		if s.CountryID == country {
			out = append(out, s)
		}
	}
	return out
}

func (l *locations) citiesOf(state vaultspay.ID) []vaultspay.City {
	out := []vaultspay.City{}
	for _, c := range l.cities {
		if c.State.ID == state {
			out = append(out, c)
		}
	}
	return out
}
