package demo

import (
	"github.com/parkplan/parkplan/planner"
)

// townFact is one town or subdistrict as listed in the reference data
// (/work/shared/data/cixi_towns.json): names, type, seat (WGS84, degrees;
// many estimated to ±2–4 km) and block industries, main first. Industry
// codes are parkplan's (industries.go), read from the towns'
// block_industry text; where that text is unverified the codes are too.
type townFact struct {
	code     string
	nameZh   string
	nameEn   string
	typ      planner.TownType
	lon, lat float64
	inds     []string
}

// cixiTowns are the 19 towns and subdistricts of 2019. The two development
// zones of the reference list (杭州湾新区, 滨海经济开发区) are left out:
// the seed counts parks over 19 towns/subdistricts, and the zones overlap
// the towns' territory (their parks are counted under 龙山/庵东 here).
var cixiTowns = []townFact{
	{"hushan", "浒山街道", "Hushan Jiedao", planner.TownSubdistrict, 121.245, 30.165, []string{"electronics", "smart_equipment"}},
	{"gutang", "古塘街道", "Gutang Jiedao", planner.TownSubdistrict, 121.225, 30.185, []string{"appliance"}},
	{"baishalu", "白沙路街道", "Baishalu Jiedao", planner.TownSubdistrict, 121.270, 30.190, []string{"textile", "smart_equipment"}},
	{"zonghan", "宗汉街道", "Zonghan Jiedao", planner.TownSubdistrict, 121.195, 30.190, []string{"appliance", "auto_parts"}},
	{"kandun", "坎墩街道", "Kandun Jiedao", planner.TownSubdistrict, 121.225, 30.225, []string{"textile"}},
	{"longshan", "龙山镇", "Longshan Zhen", planner.TownTown, 121.550, 30.090, []string{"electrical", "auto_parts"}},
	{"zhangqi", "掌起镇", "Zhangqi Zhen", planner.TownTown, 121.455, 30.145, []string{"appliance", "electrical", "bearing"}},
	{"guanhaiwei", "观海卫镇", "Guanhaiwei Zhen", planner.TownTown, 121.40568, 30.17017, []string{"electrical", "appliance", "lighter"}},
	{"fuhai", "附海镇", "Fuhai Zhen", planner.TownTown, 121.400, 30.235, []string{"appliance"}},
	{"qiaotou", "桥头镇", "Qiaotou Zhen", planner.TownTown, 121.360, 30.180, []string{"appliance", "hardware"}},
	{"kuangyan", "匡堰镇", "Kuangyan Zhen", planner.TownTown, 121.300, 30.155, []string{"hardware", "appliance"}},
	{"xiaolin", "逍林镇", "Xiaolin Zhen", planner.TownTown, 121.305, 30.190, []string{"electronics"}},
	{"xinpu", "新浦镇", "Xinpu Zhen", planner.TownTown, 121.36123, 30.24258, []string{"recycling", "appliance"}},
	{"shengshan", "胜山镇", "Shengshan Zhen", planner.TownTown, 121.32523, 30.23551, []string{"bearing", "auto_parts", "textile"}},
	{"henghe", "横河镇", "Henghe Zhen", planner.TownTown, 121.245, 30.135, []string{"bearing"}},
	{"chongshou", "崇寿镇", "Chongshou Zhen", planner.TownTown, 121.220, 30.270, []string{"chemical_fiber", "electronics", "auto_parts"}},
	{"andong", "庵东镇", "Andong Zhen", planner.TownTown, 121.165, 30.275, []string{"auto_parts", "new_materials"}},
	{"changhe", "长河镇", "Changhe Zhen", planner.TownTown, 121.160, 30.195, []string{"straw_craft", "appliance"}},
	{"zhouxiang", "周巷镇", "Zhouxiang Zhen", planner.TownTown, 121.120, 30.185, []string{"appliance", "auto_parts", "bearing"}},
}

// redlineTowns are the southern hill towns (四明山 foothills, 上林湖 and
// the reservoirs) where the demo puts its ecological red line.
var redlineTowns = map[string]bool{"henghe": true, "kuangyan": true, "qiaotou": true, "guanhaiwei": true, "zhangqi": true, "longshan": true}
