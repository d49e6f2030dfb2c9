package dataset

// File names of a dataset directory (the public format).
const (
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
