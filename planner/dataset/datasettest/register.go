package datasettest

import (
	"fmt"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/parkplan/parkplan/planner"
)

// RegisterHeader is the header of the enterprise registers WriteRegister
// writes: the Chinese column names an economy bureau's workbook uses.
var RegisterHeader = []string{"企业编号", "企业名称", "所在镇街", "所属行业", "企业规模", "需求面积", "亩均产值", "亩均税收", "污染类别", "低散乱", "安全生产"}

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

// WriteRegister writes firms as an .xlsx enterprise register with
// excelize, as a bureau keeps one: no coordinates, the town by its
// Chinese name (towns gives the names), size and pollution in Chinese,
// yes/no as 是/否, numbers as numbers. edit, if not nil, may change each
// row (index from 0, cells in RegisterHeader's order) before it is written.
func WriteRegister(path, sheet string, firms []planner.Enterprise, towns []planner.Town, edit func(i int, row []any)) error {
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
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	for i, e := range firms {
		town, ok := names[e.Town]
		if !ok {
			return fmt.Errorf("datasettest: firm %s: no town %s", e.ID, e.Town)
		}
		row := []any{e.ID, "企业" + strconv.Itoa(i+1), town, e.Industry, sizeZh[e.Size], e.FloorM2, e.OutputPerMu, e.TaxPerMu,
			pollutionZh[e.Pollution], yesNo(e.LowScattered), yesNo(e.SafetyOK)}
		if edit != nil {
			edit(i, row)
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
