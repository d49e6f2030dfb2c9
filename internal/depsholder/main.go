package main

import (
	_ "github.com/chromedp/chromedp"
	_ "github.com/labstack/echo/v4"
	_ "github.com/lib/pq"
	_ "github.com/paulmach/orb"
	_ "github.com/paulmach/orb/geojson"
	_ "github.com/pressly/goose/v3"
	_ "github.com/twpayne/go-geom/encoding/ewkb"
	_ "github.com/xuri/excelize/v2"
	_ "go.yaml.in/yaml/v3"
	_ "gonum.org/v1/gonum/mat"
	_ "gonum.org/v1/plot"
)

func main() {}
