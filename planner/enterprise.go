package planner

import "github.com/paulmach/orb"

// Industry is an industry code with the industries counted as related to it
// when a park's specialty share is checked (主导产业及关联产业).
type Industry struct {
	Code    string   // e.g. "appliance"
	NameZh  string   // 家电
	NameEn  string   // Household appliances
	Related []string // codes of related industries (symmetric in the demo data)
}

// SizeClass is an enterprise's size class (大中小微).
type SizeClass string

// Size classes.
const (
	SizeMicro  SizeClass = "micro"
	SizeSmall  SizeClass = "small"
	SizeMedium SizeClass = "medium"
	SizeLarge  SizeClass = "large"
)

// Valid reports whether s is a known size class.
func (s SizeClass) Valid() bool {
	return s == SizeMicro || s == SizeSmall || s == SizeMedium || s == SizeLarge
}

// SmallMicro reports whether s counts toward the small/micro share rule.
func (s SizeClass) SmallMicro() bool { return s == SizeMicro || s == SizeSmall }

// Pollution is an enterprise's pollution class.
type Pollution string

// Pollution classes. Heavy polluters are barred from every park (重污染项目禁止入园).
const (
	PollutionLight    Pollution = "light"
	PollutionModerate Pollution = "moderate"
	PollutionHeavy    Pollution = "heavy"
)

// Valid reports whether p is a known pollution class.
func (p Pollution) Valid() bool {
	return p == PollutionLight || p == PollutionModerate || p == PollutionHeavy
}

// Enterprise is a firm seeking space in a park.
type Enterprise struct {
	ID           string
	Town         string // Town.Code where the firm is registered
	Industry     string // Industry.Code
	Size         SizeClass
	FloorM2      float64 // floor space needed, m²
	OutputPerMu  float64 // output per mu of land (亩产效益), 10,000 yuan/mu/year
	TaxPerMu     float64 // tax per mu, 10,000 yuan/mu/year
	Pollution    Pollution
	LowScattered bool // a "low, scattered, messy" (低散乱) firm
	SafetyOK     bool // production safety record acceptable
	// MuClass is the firm's latest 亩均效益 class (A–D), "" if none on
	// record; left out of the canonical form when empty.
	MuClass  MuClass   `json:",omitempty"`
	Location orb.Point // lon/lat degrees (EPSG:4490)
}
