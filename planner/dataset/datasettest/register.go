package datasettest

import (
	"fmt"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/parkplan/parkplan/planner"
	"github.com/paulmach/orb"
)

// RegisterHeader is the header of the enterprise registers WriteRegister
// writes: the Chinese column names an economy bureau's workbook uses.
var RegisterHeader = []string{"企业编号", "企业名称", "所在镇街", "所属行业", "企业规模", "需求面积", "亩均产值", "亩均税收", "污染类别", "低散乱", "安全生产", "亩均效益等级"}

// Chinese values of a register for the format's codes.
var (
	sizeZh      = map[planner.SizeClass]string{planner.SizeMicro: "微型", planner.SizeSmall: "小型", planner.SizeMedium: "中型", planner.SizeLarge: "大型"}
	pollutionZh = map[planner.Pollution]string{planner.PollutionLight: "轻度", planner.PollutionModerate: "中度", planner.PollutionHeavy: "重度"}
)

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// RegisterOptions vary the registers WriteRegister writes.
type RegisterOptions struct {
	// Edit, if not nil, may change each row (index from 0, cells in
	// RegisterHeader's order, then 经度, 纬度 if Position is set) before
	// it is written.
	Edit func(i int, row []any)
	// Position, if not nil, adds 经度 and 纬度 columns holding each
	// firm's location passed through it (e.g. geo.WGS84ToGCJ02).
	Position func(orb.Point) orb.Point
}

// WriteRegister writes firms as an .xlsx enterprise register with
// excelize, as a bureau keeps one: by default no coordinates, the town by
// its Chinese name (towns gives the names), size and pollution in
// Chinese, yes/no as 是/否, numbers as numbers.
func WriteRegister(path, sheet string, firms []planner.Enterprise, towns []planner.Town, opt RegisterOptions) error {
	names := map[string]string{}
	for _, t := range towns {
		names[t.Code] = t.NameZh
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	header := make([]any, len(RegisterHeader))
	for i, h := range RegisterHeader {
		header[i] = h
	}
	if opt.Position != nil {
		header = append(header, "经度", "纬度")
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	for i, e := range firms {
		town, ok := names[e.Town]
		if !ok {
			return fmt.Errorf("datasettest: firm %s: no town %s", e.ID, e.Town)
		}
		row := []any{e.ID, "企业" + strconv.Itoa(i+1), town, e.Industry, sizeZh[e.Size], e.FloorM2, e.OutputPerMu, e.TaxPerMu,
			pollutionZh[e.Pollution], yesNo(e.LowScattered), yesNo(e.SafetyOK), string(e.MuClass)}
		if opt.Position != nil {
			p := opt.Position(e.Location)
			row = append(row, p[0], p[1])
		}
		if opt.Edit != nil {
			opt.Edit(i, row)
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}
