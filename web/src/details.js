// details.js — the panel shown when a park or a parcel is clicked: a park's
// firms, its shares against the 70 % rules, its tier and the facilities the
// tier requires; for a parcel left out, why it was not chosen.

/**
 * tierFacilities: what the seed requires of a park by its area (mu).
 * The seed names no tier for 200–300 mu; the planner puts it with 100–200.
 */
export const tierFacilities = {
  basic: {
    label: '< 100 mu',
    items: ['基础消防设施 fire protection', '安全设施 production safety', '环保设施 environmental protection'],
  },
  standard: {
    label: '100–300 mu',
    items: [
      '独立运营主体 independent operator',
      '园区管理制度 park management rules',
      '消防、安全、环保设施 fire, safety, environment',
      '仓储物流 warehousing and logistics',
      '商务配套 business services',
      '食堂 canteen',
      '宿舍 dormitory',
    ],
  },
  complex: {
    label: '≥ 300 mu (seed: 300–500 mu)',
    items: [
      '专业管理团队 professional management team',
      '数字化智慧园区管理 digital / smart park management',
      '研发、生产、销售、生活一体 R&D + production + sales + living',
      '服务综合体 service complex: 政策咨询 policy advice, 招聘 recruiting, 孵化 incubation, 培训 training',
    ],
  },
};

function h(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null) continue;
    if (k === 'class') e.className = v;
    else e.setAttribute(k, String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return e;
}
export { h };

export const pct = (v) => (typeof v === 'number' ? (v * 100).toFixed(1) + ' %' : '—');
export const num = (v, d = 0) => (typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : v ?? '—');

function ruleRow(label, value, min) {
  const ok = typeof value === 'number' && value + 1e-9 >= min;
  return h('tr', { class: ok ? 'ok' : 'fail' },
    h('td', {}, label), h('td', { class: 'num' }, pct(value)), h('td', { class: 'num' }, '≥ ' + pct(min)), h('td', {}, ok ? '✓' : '✗'));
}

/**
 * parkDetails renders a park. p are the park feature's properties; firms
 * are [{id, industry, size, floor_m2, distance_m}] placed in it; rules has
 * the scenario's thresholds; townName maps a town code to its Chinese name.
 */
export function parkDetails(p, firms, rules, townName, industryName) {
  const tier = p.tier || '';
  const fac = tierFacilities[tier];
  const reqs = Array.isArray(p.tier_requirements) && p.tier_requirements.length ? p.tier_requirements : fac ? fac.items : [];
  const box = h('div', { class: 'details park-details', 'data-park': p.parcel_id || p.id },
    h('h3', {}, (p.name || p.parcel_id || p.id) + ' · ' + (townName(p.town) || p.town || '')),
    h('table', { class: 'kv' },
      h('tr', {}, h('th', {}, 'parcel'), h('td', {}, p.parcel_id || p.id || '')),
      h('tr', {}, h('th', {}, 'kind'), h('td', {}, p.kind || '')),
      h('tr', {}, h('th', {}, 'specialty'), h('td', {}, industryName(p.specialty))),
      h('tr', {}, h('th', {}, 'opens'), h('td', {}, String(p.open_year ?? '—'))),
      h('tr', {}, h('th', {}, 'area'), h('td', {}, num(p.area_mu, 1) + ' mu')),
      h('tr', {}, h('th', {}, 'floor used / capacity'), h('td', {}, num(p.floor_used_m2) + ' / ' + num(p.capacity_m2) + ' m²')),
      h('tr', {}, h('th', {}, 'firms'), h('td', { 'data-firms': p.firms }, String(p.firms ?? firms.length))),
      h('tr', {}, h('th', {}, 'tier'), h('td', { 'data-tier': tier }, tier + (fac ? ' (' + fac.label + ')' : '')))),
    h('h4', {}, 'Rules (一园一特, small/micro)'),
    h('table', { class: 'rules' },
      h('tr', {}, h('th', {}, 'share'), h('th', {}, 'park'), h('th', {}, 'rule'), h('th', {}, '')),
      ruleRow('specialty + related, of firms', p.specialty_firm_share, rules.specialty_share_firms ?? 0.7),
      ruleRow('specialty + related, of floor', p.specialty_floor_share, rules.specialty_share_floor ?? 0.7),
      ruleRow('small/micro, of firms', p.small_micro_share, rules.small_micro_share ?? 0.7)),
    h('h4', {}, 'Facilities the tier requires'),
    h('ul', { class: 'facilities' }, ...reqs.map((r) => h('li', {}, String(r)))));
  if (firms.length) {
    const rows = firms.slice(0, 200).map((f) =>
      h('tr', {}, h('td', {}, f.id), h('td', {}, industryName(f.industry) || ''), h('td', {}, f.size || ''),
        h('td', { class: 'num' }, num(f.floor_m2)), h('td', { class: 'num' }, f.distance_m != null ? num(f.distance_m / 1000, 1) : '')));
    box.appendChild(h('h4', {}, `Firms placed (${firms.length})`));
    box.appendChild(h('table', { class: 'firms' },
      h('tr', {}, h('th', {}, 'firm'), h('th', {}, 'industry'), h('th', {}, 'size'), h('th', {}, 'floor m²'), h('th', {}, 'km')),
      ...rows));
    if (firms.length > 200) box.appendChild(h('p', {}, `… and ${firms.length - 200} more`));
  } else if (p.locked) {
    box.appendChild(h('p', { class: 'note' }, 'Locked park (existing or under construction): its firms are already in place.'));
  }
  return box;
}

// reasonText explains the reason codes a candidate parcel may carry.
const reasonText = {
  protected: 'blocked by protected land (basic farmland, ecological red line, or outside the development boundary)',
  basic_farmland: 'overlaps permanent basic farmland',
  eco_redline: 'overlaps the ecological red line',
  dev_boundary: 'lies outside the urban development boundary',
  quota: "the town's new-land quota cannot cover it",
  no_quota: "the town's new-land quota cannot cover it",
  capacity: 'too little demand or capacity: no firms to fill it under the share rules',
  no_demand: 'no firms in reach to fill it',
  cap: 'the cap on parks on newly approved land is reached',
  new_land_cap: 'the cap on parks on newly approved land is reached',
  locked_out: 'kept closed by the scenario (lock_out)',
  lock_out: 'kept closed by the scenario (lock_out)',
  budget: "the year's subsidy budget cannot pay for it",
  worse: 'feasible, but another parcel scores better',
  dominated: 'feasible, but another parcel scores better',
  not_better: 'feasible, but another parcel scores better',
};

/** parcelDetails renders a parcel; cand are its properties in the scenario's candidates layer (or null). */
export function parcelDetails(base, cand, townName, derived) {
  const p = Object.assign({}, base || {}, cand || {});
  const box = h('div', { class: 'details parcel-details', 'data-parcel': p.id || p.parcel_id },
    h('h3', {}, (p.name || p.id || p.parcel_id) + ' · ' + (townName(p.town) || p.town || '')),
    h('table', { class: 'kv' },
      h('tr', {}, h('th', {}, 'parcel'), h('td', {}, p.id || p.parcel_id || '')),
      h('tr', {}, h('th', {}, 'kind'), h('td', {}, p.kind || '')),
      h('tr', {}, h('th', {}, 'area'), h('td', {}, num(p.area_mu, 1) + ' mu')),
      h('tr', {}, h('th', {}, 'FAR'), h('td', {}, num(p.far, 2))),
      h('tr', {}, h('th', {}, 'cost'), h('td', {}, num(p.cost_wan, 0) + ' 万元'))));
  if (!cand) {
    box.appendChild(h('p', { class: 'note' }, 'No scenario chosen, or the scenario says nothing about this parcel.'));
    return box;
  }
  const chosen = cand.chosen === true;
  box.appendChild(h('p', { class: chosen ? 'chosen' : 'not-chosen', 'data-chosen': String(chosen) },
    chosen ? 'Chosen as a park in this scenario.' : 'Not chosen in this scenario.'));
  if (!chosen) {
    const codes = [].concat(cand.reason ?? [], cand.reasons ?? []).flatMap((r) => String(r).split(/[;,]\s*/)).filter(Boolean);
    const ul = h('ul', { class: 'reasons' });
    for (const c of codes) ul.appendChild(h('li', { 'data-reason': c }, reasonText[c] ? `${reasonText[c]} (${c})` : c));
    if (cand.reason_detail) ul.appendChild(h('li', {}, String(cand.reason_detail)));
    if (codes.length || cand.reason_detail) box.appendChild(ul);
    else if (derived && derived.length) {
      box.appendChild(h('ul', { class: 'reasons derived' }, ...derived.map((r) => h('li', { 'data-reason': r.code }, r.text))));
      box.appendChild(h('p', { class: 'note' }, 'Worked out on this page from the layers (protected land, quota left, the new-land cap, the parks chosen nearby); the plan itself stores no reason for this parcel.'));
    }
  }
  // Anything else the layer carries (cost difference, blocking overlap, …), shown as it is.
  const shown = new Set(['id', 'parcel_id', 'name', 'town', 'kind', 'area_mu', 'far', 'cost_wan', 'chosen', 'reason', 'reasons', 'reason_detail', 'geometry', 'floor_m2', 'firms', 'specialty', 'open_year']);
  const extra = Object.entries(cand).filter(([k, v]) => !shown.has(k) && !k.startsWith('_') && v !== null && typeof v !== 'object');
  if (extra.length) {
    box.appendChild(h('table', { class: 'kv extra' }, ...extra.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, typeof v === 'number' ? num(v, 2) : String(v))))));
  }
  return box;
}

// unplacedText explains planner.UnplacedReason codes.
const unplacedText = {
  barred_pollution: 'heavy polluter: barred from parks',
  low_scattered: 'low, scattered, messy (低散乱): enters only after upgrading, which this scenario does not count',
  safety: 'safety record fails admission',
  no_park_in_reach: 'no open park within the relocation rule',
  no_capacity: 'the parks in reach are full, or the share rules leave no room for it',
};

/** firmDetails renders an unplaced firm (properties of the unplaced layer). */
export function firmDetails(p, townName, industryName) {
  return h('div', { class: 'details firm-details', 'data-firm': p.enterprise_id || p.id },
    h('h3', {}, (p.enterprise_id || p.id) + ' · ' + (townName(p.town) || p.town || '')),
    h('table', { class: 'kv' },
      h('tr', {}, h('th', {}, 'industry'), h('td', {}, industryName(p.industry))),
      h('tr', {}, h('th', {}, 'size'), h('td', {}, p.size || '')),
      h('tr', {}, h('th', {}, 'pollution'), h('td', {}, p.pollution || '')),
      h('tr', {}, h('th', {}, 'low/scattered'), h('td', {}, String(p.low_scattered))),
      h('tr', {}, h('th', {}, 'safety ok'), h('td', {}, String(p.safety_ok)))),
    h('p', { class: 'not-chosen', 'data-reason': p.reason }, 'Not placed: ' + (unplacedText[p.reason] || p.reason)));
}
