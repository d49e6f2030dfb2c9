package dataset

import (
	"strings"
)

// fieldKind is the JSON type a field of the format takes.
type fieldKind int

const (
	kindString fieldKind = iota
	kindNumber
	kindInt
	kindBool
	kindStrings // array of strings (a town's block industries)
)

// fieldSpec is one field of a layer with the column names counties
// usually give it: its own name first, then Chinese names and their
// pinyin initials as found in 三调 and register exports.
type fieldSpec struct {
	name   string
	kind   fieldKind
	usual  []string
	values map[string]string // usual source values → the format's values
}

var (
	kindValues = map[string]string{
		"现有": "existing", "已建": "existing", "已建成": "existing", "建成": "existing",
		"在建": "under_construction", "建设中": "under_construction",
		"新增": "new_land", "新增建设用地": "new_land", "新增用地": "new_land", "新批": "new_land",
		"存量": "old_factory", "存量用地": "old_factory", "旧厂区": "old_factory", "旧厂房": "old_factory", "低效用地": "old_factory", "低效工业用地": "old_factory",
	}
	townTypeValues  = map[string]string{"镇": "town", "乡": "town", "街道": "subdistrict", "开发区": "zone", "园区": "zone", "功能区": "zone"}
	protectedValues = map[string]string{
		"永久基本农田": "basic_farmland", "基本农田": "basic_farmland",
		"生态保护红线": "eco_redline", "生态红线": "eco_redline",
		"城镇开发边界": "dev_boundary", "开发边界": "dev_boundary",
	}
	sizeValues      = map[string]string{"微型": "micro", "小型": "small", "中型": "medium", "大型": "large", "微": "micro", "小": "small", "中": "medium", "大": "large"}
	pollutionValues = map[string]string{"轻": "light", "轻度": "light", "中": "moderate", "中度": "moderate", "重": "heavy", "重度": "heavy", "重污染": "heavy"}
)

// layerFields lists each layer's fields (docs/data-format.md).
var layerFields = map[string][]fieldSpec{
	LayerTowns: {
		{name: "code", usual: []string{"镇街代码", "乡镇代码", "代码", "行政区代码", "xzqdm"}},
		{name: "name_zh", usual: []string{"镇街名称", "乡镇名称", "名称", "行政区名称", "xzqmc"}},
		{name: "name_en", usual: []string{"英文名称", "英文名"}},
		{name: "type", usual: []string{"类型", "镇街类型"}, values: townTypeValues},
		{name: "industries", kind: kindStrings, usual: []string{"块状产业", "主导产业", "产业"}},
		{name: "seat_lon", kind: kindNumber, usual: []string{"驻地经度", "经度"}},
		{name: "seat_lat", kind: kindNumber, usual: []string{"驻地纬度", "纬度"}},
		{name: "synthetic", kind: kindBool},
	},
	LayerParcels: {
		{name: "id", usual: []string{"地块编号", "地块代码", "宗地编号", "宗地代码", "图斑编号", "编号", "dkbh", "zdbh", "bsm"}},
		{name: "town", usual: []string{"所属镇", "所属镇街", "乡镇", "镇街", "所在乡镇", "乡镇名称", "xzqmc"}},
		{name: "kind", usual: []string{"用地性质", "用地类型", "地块类型", "类型"}, values: kindValues},
		{name: "name", usual: []string{"地块名称", "项目名称", "名称", "dkmc"}},
		{name: "area_mu", kind: kindNumber, usual: []string{"面积", "面积亩", "用地面积", "mj"}},
		{name: "far", kind: kindNumber, usual: []string{"容积率", "rjl"}},
		{name: "cost_wan", kind: kindNumber, usual: []string{"成本", "开发成本", "投资", "费用"}},
		{name: "floor_m2", kind: kindNumber, usual: []string{"建筑面积", "jzmj"}},
		{name: "firms", kind: kindInt, usual: []string{"企业数", "入驻企业数", "入驻企业"}},
		{name: "specialty", usual: []string{"特色产业", "主导产业"}},
		{name: "open_year", kind: kindInt, usual: []string{"开园年份", "建成年份", "年份"}},
	},
	LayerProtected: {
		{name: "id", usual: []string{"编号", "图斑编号", "bsm"}},
		{name: "kind", usual: []string{"管控类型", "保护类型", "类型"}, values: protectedValues},
		{name: "name", usual: []string{"名称"}},
	},
	LayerEnterprises: {
		{name: "id", usual: []string{"统一社会信用代码", "信用代码", "社会信用代码", "企业编号", "tyshxydm"}},
		{name: "town", usual: []string{"所在镇街", "镇街", "所属镇街", "乡镇", "所属镇"}},
		{name: "industry", usual: []string{"所属行业", "行业", "产业"}},
		{name: "size", usual: []string{"企业规模", "规模"}, values: sizeValues},
		{name: "floor_m2", kind: kindNumber, usual: []string{"需求面积", "用房需求", "需求建筑面积", "建筑面积"}},
		{name: "output_per_mu", kind: kindNumber, usual: []string{"亩均产值", "亩产", "亩均产出"}},
		{name: "tax_per_mu", kind: kindNumber, usual: []string{"亩均税收", "亩税"}},
		{name: "pollution", usual: []string{"污染类别", "污染等级", "污染"}, values: pollutionValues},
		{name: "low_scattered", kind: kindBool, usual: []string{"低散乱"}},
		{name: "safety_ok", kind: kindBool, usual: []string{"安全生产", "安全达标"}},
		{name: "mu_class", usual: []string{"亩均效益等级", "亩均效益评价", "亩均等级", "综合评价等级"}},
	},
}

// Register columns of a firm's optional position (not a format field:
// they become the feature's geometry).
var registerLonLat = [2][]string{
	{"lon", "经度", "longitude", "x"},
	{"lat", "纬度", "latitude", "y"},
}

func fieldsOf(layer string) []fieldSpec { return layerFields[layer] }

func fieldOf(layer, name string) *fieldSpec {
	for i, f := range layerFields[layer] {
		if f.name == name {
			return &layerFields[layer][i]
		}
	}
	return nil
}

func fieldNames(layer string) string {
	var ns []string
	for _, f := range layerFields[layer] {
		ns = append(ns, f.name)
	}
	return strings.Join(ns, ", ")
}

// dbfNameBytes is the longest column name a DBF holds: GDAL cuts longer
// names (output_per_mu → output_per) when it writes a Shapefile.
const dbfNameBytes = 10

// columnMatches reports whether a source column is a field's usual name,
// ignoring case, spaces and punctuation, and allowing for a DBF's cut.
func columnMatches(column, name string) bool {
	c, n := squash(column), squash(name)
	if c == n {
		return true
	}
	return len(column) == dbfNameBytes && strings.HasPrefix(name, column)
}

// guessColumn returns the source column that feeds field f, among
// columns, or "".
func guessColumn(f fieldSpec, columns []string) string {
	for _, name := range append([]string{f.name}, f.usual...) {
		for _, c := range columns {
			if columnMatches(c, name) {
				return c
			}
		}
	}
	return ""
}
