package demo

import "github.com/parkplan/parkplan/planner"

// industryFacts is the demo's industry table, read from the towns' block
// industry text (cixi_towns.json); related pairs are the demo's judgement
// of which industries share suppliers and workshops (主导产业及关联产业).
// Each pair is listed once and made symmetric by industries().
var industryFacts = []planner.Industry{
	{Code: "appliance", NameZh: "家电", NameEn: "Household appliances"},
	{Code: "auto_parts", NameZh: "汽车零部件", NameEn: "Auto parts"},
	{Code: "bearing", NameZh: "轴承", NameEn: "Bearings"},
	{Code: "chemical_fiber", NameZh: "化纤", NameEn: "Chemical fibres"},
	{Code: "electrical", NameZh: "电工电器", NameEn: "Electrical equipment (low-voltage)"},
	{Code: "electronics", NameZh: "电子接插件", NameEn: "Electronic connectors"},
	{Code: "hardware", NameZh: "五金工具", NameEn: "Hardware and tools"},
	{Code: "lighter", NameZh: "打火机", NameEn: "Lighters"},
	{Code: "new_materials", NameZh: "新材料", NameEn: "New materials"},
	{Code: "plastics", NameZh: "塑料制品", NameEn: "Plastic products"},
	{Code: "recycling", NameZh: "再生资源", NameEn: "Recycling and vehicle dismantling"},
	{Code: "smart_equipment", NameZh: "智能装备", NameEn: "Smart equipment"},
	{Code: "straw_craft", NameZh: "草编", NameEn: "Straw weaving"},
	{Code: "textile", NameZh: "纺织针织", NameEn: "Textiles and knitwear"},
}

// relatedPairs lists related industries, each pair once.
var relatedPairs = [][2]string{
	{"appliance", "electrical"}, {"appliance", "electronics"}, {"appliance", "plastics"}, {"appliance", "hardware"},
	{"auto_parts", "bearing"}, {"auto_parts", "hardware"}, {"auto_parts", "new_materials"}, {"auto_parts", "recycling"},
	{"bearing", "hardware"}, {"chemical_fiber", "textile"}, {"chemical_fiber", "new_materials"},
	{"electrical", "electronics"}, {"electrical", "smart_equipment"}, {"electronics", "smart_equipment"},
	{"hardware", "lighter"}, {"lighter", "plastics"}, {"plastics", "new_materials"}, {"straw_craft", "textile"},
	{"smart_equipment", "textile"}, // knitting machines (慈星) serve the knitwear trade
}

// industries returns the table with symmetric, sorted Related lists.
func industries() []planner.Industry {
	rel := map[string][]string{}
	for _, p := range relatedPairs {
		rel[p[0]] = append(rel[p[0]], p[1])
		rel[p[1]] = append(rel[p[1]], p[0])
	}
	out := make([]planner.Industry, len(industryFacts))
	for i, in := range industryFacts {
		in.Related = sortedCopy(rel[in.Code])
		out[i] = in
	}
	return out
}
