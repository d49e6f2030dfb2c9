package geo

import "math"

// CGCS2000 ellipsoid (China Geodetic Coordinate System 2000). Its flattening
// differs from WGS84's in the 11th digit; over a county the two are the same.
const (
	SemiMajorM    = 6378137.0                     // semi-major axis a, metres
	InvFlattening = 298.257222101                 // 1/f
	flattening    = 1 / InvFlattening             // f
	ecc2          = flattening * (2 - flattening) // first eccentricity squared e²
)

// MeanRadiusM is the CGCS2000 mean radius R1 = (2a+b)/3, metres.
const MeanRadiusM = (2*SemiMajorM + SemiMajorM*(1-flattening)) / 3

// MuM2 is the area of one mu in square metres (市亩: 10,000/15 m²).
const MuM2 = 10000.0 / 15.0

const deg = math.Pi / 180
