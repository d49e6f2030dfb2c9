package dataset

// File names of a dataset directory (the public format).
const (
	FileCounties    = "counties.geojson" // optional: without it, one implied county (planner.DefaultCounty)
	FileTowns       = "towns.geojson"
	FileParcels     = "parcels.geojson"
	FileProtected   = "protected.geojson"
	FileEnterprises = "enterprises.geojson"
	FileQuotas      = "quotas.csv"
	FileIndustries  = "industries.csv"
)

// CSV headers, exactly as written and as required when read.
var (
	headerQuotas     = []string{"town", "year", "new_land_mu"}
	headerIndustries = []string{"code", "name_zh", "name_en", "related"}
)

// relatedSep joins related industry codes in industries.csv.
const relatedSep = ";"
