package geo

import (
	"errors"
	"fmt"
	"math"
)

// EPSG codes parkplan knows.
const (
	EPSG4326 = 4326 // WGS84 longitude/latitude, degrees
	EPSG4490 = 4490 // CGCS2000 longitude/latitude, degrees
	EPSG4528 = 4528 // CGCS2000 3-degree Gauss–Krüger zone 40 (CM 120°E), false easting 40,500,000 m
	EPSG4549 = 4549 // CGCS2000 3-degree Gauss–Krüger CM 120°E, false easting 500,000 m, no zone prefix
)

// ErrUnsupportedCRS is returned for an EPSG code geo cannot transform.
var ErrUnsupportedCRS = errors.New("geo: unsupported CRS")

// GaussKruger is a transverse Mercator projection on the CGCS2000 ellipsoid
// with scale factor 1 on the central meridian and false northing 0, as used
// by the Chinese 3-degree zones. Eastings and northings are metres.
type GaussKruger struct {
	CentralMeridian float64 // degrees east
	FalseEasting    float64 // metres
}

// Zone returns the Gauss–Krüger projection of a CGCS2000 projected EPSG
// code (EPSG:4491–4554: 6° and 3° zones, with and without the zone
// prefix; see gkzones.go), or ErrUnsupportedCRS.
func Zone(epsg int) (GaussKruger, error) {
	z, ok := CGCS2000Zone(epsg)
	if !ok {
		return GaussKruger{}, fmt.Errorf("%w: EPSG:%d", ErrUnsupportedCRS, epsg)
	}
	return z.Projection(), nil
}

// ZoneAt returns the 3-degree Gauss–Krüger zone (no zone prefix) whose
// central meridian is nearest lon (degrees); for Cixi it is EPSG:4549's.
func ZoneAt(lon float64) GaussKruger {
	return GaussKruger{CentralMeridian: 3 * math.Round(lon/3), FalseEasting: 500000}
}

// Krüger series coefficients to sixth order in the third flattening n
// (Krüger 1912, as arranged by Karney 2011). With n ≈ 0.0017 the truncation
// error is far below a millimetre within several degrees of the meridian.
type krugerSeries struct {
	n, rectA float64    // third flattening, rectifying radius A
	e        float64    // first eccentricity
	alpha    [6]float64 // forward: conformal → rectified
	beta     [6]float64 // inverse: rectified → conformal
}

// kruger holds the series for the CGCS2000 ellipsoid. It is computed once
// from constants and never written after.
var kruger = newKrugerSeries(flattening)

func newKrugerSeries(f float64) krugerSeries {
	n := f / (2 - f)
	n2, n3 := n*n, n*n*n
	n4, n5, n6 := n2*n2, n2*n3, n3*n3
	var s krugerSeries
	s.n = n
	s.e = math.Sqrt(f * (2 - f))
	s.rectA = SemiMajorM / (1 + n) * (1 + n2/4 + n4/64 + n6/256)
	s.alpha = [6]float64{
		n/2 - 2*n2/3 + 5*n3/16 + 41*n4/180 - 127*n5/288 + 7891*n6/37800,
		13*n2/48 - 3*n3/5 + 557*n4/1440 + 281*n5/630 - 1983433*n6/1935360,
		61*n3/240 - 103*n4/140 + 15061*n5/26880 + 167603*n6/181440,
		49561*n4/161280 - 179*n5/168 + 6601661*n6/7257600,
		34729*n5/80640 - 3418889*n6/1995840,
		212378941 * n6 / 319334400,
	}
	s.beta = [6]float64{
		n/2 - 2*n2/3 + 37*n3/96 - n4/360 - 81*n5/512 + 96199*n6/604800,
		n2/48 + n3/15 - 437*n4/1440 + 46*n5/105 - 1118711*n6/3870720,
		17*n3/480 - 37*n4/840 - 209*n5/4480 + 5569*n6/90720,
		4397*n4/161280 - 11*n5/504 - 830251*n6/7257600,
		4583*n5/161280 - 108847*n6/3991680,
		20648693 * n6 / 638668800,
	}
	return s
}

// Forward projects lon/lat (degrees) to easting/northing (metres).
func (z GaussKruger) Forward(lon, lat float64) (x, y float64) {
	s := &kruger
	phi := lat * deg
	lam := (lon - z.CentralMeridian) * deg
	sinPhi := math.Sin(phi)
	// tangent of the conformal latitude
	t := math.Sinh(math.Atanh(sinPhi) - s.e*math.Atanh(s.e*sinPhi))
	sinLam, cosLam := math.Sincos(lam)
	xi0 := math.Atan2(t, cosLam)
	eta0 := math.Atanh(sinLam / math.Sqrt(1+t*t))
	dxi, deta := krugerSum(&s.alpha, xi0, eta0)
	xi, eta := xi0+dxi, eta0+deta
	return z.FalseEasting + s.rectA*eta, s.rectA * xi
}

// krugerSum returns Σ c_j sin(2jξ)cosh(2jη) and Σ c_j cos(2jξ)sinh(2jη),
// j = 1…6, with the multiple angles built by recurrence from one Sincos
// and one Exp.
func krugerSum(c *[6]float64, xi, eta float64) (dxi, deta float64) {
	s1, c1 := math.Sincos(2 * xi)
	e1 := math.Exp(2 * eta)
	sj, cj := s1, c1   // sin(2jξ), cos(2jξ)
	ej, ij := e1, 1/e1 // e^{2jη}, e^{-2jη}
	for j := range 6 {
		ch, sh := (ej+ij)/2, (ej-ij)/2
		dxi += c[j] * sj * ch
		deta += c[j] * cj * sh
		sj, cj = sj*c1+cj*s1, cj*c1-sj*s1
		ej, ij = ej*e1, ij/e1
	}
	return dxi, deta
}

// conformalToGeodetic converts a conformal latitude (radians) to geodetic
// latitude. It solves τ′(τ) = tan χ for τ = tan φ by Newton's method
// (Karney 2011, eqs. 7–9, 19–21), which converges quadratically: two or
// three steps reach the last bit, where the fixed-point iteration
// φ ← 2 atan(tan(π/4+χ/2)·((1+e sin φ)/(1−e sin φ))^(e/2)) − π/2 gains
// only a factor e² a step.
func conformalToGeodetic(chi float64) float64 {
	e := kruger.e
	e2m := 1 - e*e
	taup := math.Tan(chi)
	tau := taup / e2m // first guess
	tol := conformalTol * math.Max(1, math.Abs(taup))
	for range conformalSteps {
		tau1 := math.Hypot(1, tau)
		sig := math.Sinh(e * math.Atanh(e*tau/tau1))
		taupa := math.Hypot(1, sig)*tau - sig*tau1
		dtau := (taup - taupa) * (1 + e2m*tau*tau) / (e2m * tau1 * math.Hypot(1, taupa))
		tau += dtau
		if math.Abs(dtau) < tol {
			break
		}
	}
	return math.Atan(tau)
}

// Newton's method for conformalToGeodetic stops when a step changes tan φ
// by less than conformalTol (relative, about √ε of float64 over 10: the
// next step would change it by less than the last bit), or after
// conformalSteps steps.
const (
	conformalTol   = 1.5e-9
	conformalSteps = 5
)

// Inverse converts easting/northing (metres) back to lon/lat (degrees).
func (z GaussKruger) Inverse(x, y float64) (lon, lat float64) {
	s := &kruger
	xi := y / s.rectA
	eta := (x - z.FalseEasting) / s.rectA
	dxi, deta := krugerSum(&s.beta, xi, eta)
	xi0, eta0 := xi-dxi, eta-deta
	chi := math.Asin(math.Sin(xi0) / math.Cosh(eta0))
	lam := math.Atan2(math.Sinh(eta0), math.Cos(xi0))
	return z.CentralMeridian + lam/deg, conformalToGeodetic(chi) / deg
}
