package demo

// parkFact is a locked park: built (existing) or under construction.
type parkFact struct {
	town      string
	name      string
	specialty string
	areaMu    float64 // target area, mu (the generated rectangle has this area)
	floorM2   float64 // built (existing) or planned (under construction) floor space, m²
	firms     int     // firms in the park / expected to enter
	far       float64 // allowed FAR
	openYear  int
}

// Seed figures (慈溪市经信局 reply to suggestion No. 42, 2019). The park
// tables below sum to them exactly.
const (
	seedExistingParks      = 11
	seedExistingMu         = 1700
	seedExistingFloorM2    = 980000
	seedExistingFirms      = 700
	seedUnderConstruction  = 4
	seedUnderConstrMu      = 600
	seedUnderConstrFloorM2 = 880000
	seedUnderConstrFirms   = 400
)

// existingParks are the 11 built parks. Named by the seed: 华东轻纺针织城
// (national base; placed in 白沙路街道, whose block industry names the
// 华东轻纺城) and 横河镇上剑山工业园 (Ningbo base). The other nine, their
// towns, sizes and years are synthetic, chosen so the totals match the
// seed and each sits in a town whose block industry fits its specialty.
var existingParks = []parkFact{
	{"baishalu", "华东轻纺针织城", "textile", 320, 260000, 150, 1.6, 2014},
	{"henghe", "横河镇上剑山工业园", "bearing", 230, 150000, 95, 1.5, 2015},
	{"kandun", "坎墩针织小微园", "textile", 150, 80000, 62, 1.2, 2016},
	{"gutang", "古塘家电小微园", "appliance", 110, 60000, 48, 1.2, 2017},
	{"xiaolin", "逍林电子接插件园", "electronics", 95, 52000, 45, 1.2, 2017},
	{"xinpu", "新浦再生资源产业园", "recycling", 180, 70000, 40, 1.2, 2015},
	{"shengshan", "胜山轴承小微园", "bearing", 120, 66000, 55, 1.2, 2016},
	{"chongshou", "崇寿汽配小微园", "auto_parts", 130, 72000, 52, 1.2, 2018},
	{"changhe", "长河家电配件园", "appliance", 105, 58000, 48, 1.2, 2018},
	{"guanhaiwei", "观海卫电器小微园", "electrical", 140, 60000, 55, 1.2, 2017},
	{"fuhai", "附海家电小微园", "appliance", 120, 52000, 50, 1.2, 2018},
}

// underConstructionParks are the 4 parks being built. 掌起万洋众创城 is the
// seed's reference park (105 mu, ~230,000 m², FAR 3.2, 100+ firms; here
// 223,000 m², just under the 224,000 m² FAR 3.2 allows on 105 mu); the seed names 龙山置信
// 智造谷, 横河万洋众创城 and 周巷万洋众创城 as "being pushed forward", and
// the demo takes them as the other three. Their sizes are synthetic.
var underConstructionParks = []parkFact{
	{"zhangqi", "掌起万洋众创城", "appliance", 105, 223000, 100, 3.2, 2019},
	{"longshan", "龙山置信智造谷", "electrical", 180, 240000, 110, 2.2, 2020},
	{"henghe", "横河万洋众创城", "bearing", 160, 210000, 95, 2.2, 2020},
	{"zhouxiang", "周巷万洋众创城", "appliance", 155, 207000, 95, 2.2, 2020},
}
