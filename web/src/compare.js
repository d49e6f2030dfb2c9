// compare.js — the KPI table of two scenarios side by side, from
// GET /scenarios/compare, and the park difference between them computed
// from their parks layers (added, removed, re-specialised, re-timed).
import { h } from './details.js';
import { seriesColors } from './charts.js';

/** kpiLabels: the comparison's rows in order, with units. */
export const kpiLabels = [
  ['parks_by_target_year', 'parks open by target year'],
  ['parks_total', 'parks in total'],
  ['towns_covered', 'towns with a park'],
  ['new_land_parks', 'new parks on new land'],
  ['new_land_mu', 'new land used, mu'],
  ['old_factory_mu', 'old factory land used, mu'],
  ['locked_mu', 'existing/under construction, mu'],
  ['firms_placed', 'firms housed'],
  ['floor_placed_m2', 'floor space housed, m²'],
  ['output_per_mu', 'output per mu, 万元/mu'],
  ['mean_relocation_km', 'mean relocation, km'],
  ['max_relocation_km', 'max relocation, km'],
  ['cost_wan', 'cost, 万元'],
  ['objective', 'objective'],
  ['bound', 'best bound'],
  ['gap', 'gap'],
];

function flatKPIs(s) {
  const out = {};
  const merge = (o) => {
    if (!o || typeof o !== 'object') return;
    for (const [k, v] of Object.entries(o)) if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out[k] = v;
  };
  merge(s.solve);
  merge(s.kpi);
  merge(s.kpis);
  merge(s.plan && s.plan.kpi);
  merge(s.plan && s.plan.solve);
  if (!s.kpi && !s.kpis) merge(s);
  return out;
}

/**
 * normalizeCompare turns the comparison document into
 * {ids: [a, b], names: [..], values: [{kpi: value}, …], diffLinks}. It
 * accepts a list of per-scenario columns or a list of rows.
 */
export function normalizeCompare(body, ids) {
  const cols = body.scenarios || body.columns || body.items;
  if (Array.isArray(cols)) {
    const byId = new Map(cols.map((c) => [c.id || c.scenario_id || c.scenario, c]));
    const picked = ids.map((id) => byId.get(id) || {});
    return { ids, names: picked.map((c, i) => c.name || ids[i]), values: picked.map(flatKPIs), links: body.links || [] };
  }
  if (Array.isArray(body.rows)) {
    const values = ids.map(() => ({}));
    for (const r of body.rows) {
      const key = r.kpi || r.key || r.name;
      const vals = Array.isArray(r.values) ? r.values : ids.map((id) => (r.values || r)[id]);
      vals.forEach((v, i) => { if (i < values.length) values[i][key] = v; });
    }
    return { ids, names: body.names || ids, values, links: body.links || [] };
  }
  if (body.kpis && typeof body.kpis === 'object') {
    return { ids, names: ids, values: ids.map((id) => flatKPIs({ kpi: body.kpis[id] })), links: body.links || [] };
  }
  return { ids, names: ids, values: ids.map(() => ({})), links: [] };
}

function fmt(key, v) {
  if (typeof v !== 'number') return v === undefined ? '—' : String(v);
  if (key === 'gap') return (v * 100).toFixed(2) + ' %';
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return v.toLocaleString('en-US', { maximumFractionDigits: Math.abs(v) >= 100 ? 0 : 2 });
}

/** kpiTable renders the normalised comparison; every value cell carries data-kpi, data-scenario and data-value. */
export function kpiTable(cmp) {
  const keys = kpiLabels.filter(([k]) => cmp.values.some((v) => v[k] !== undefined));
  const known = new Set(kpiLabels.map(([k]) => k));
  for (const v of cmp.values) for (const k of Object.keys(v)) if (!known.has(k) && typeof v[k] === 'number') { known.add(k); keys.push([k, k]); }
  const table = h('table', { class: 'kpi', id: 'kpi-table' },
    h('tr', {}, h('th', {}, 'KPI'), ...cmp.names.map((n, i) => h('th', { style: `color:${seriesColors[i % 2]}` }, n)),
      cmp.values.length === 2 ? h('th', {}, 'B − A') : null));
  for (const [k, label] of keys) {
    const vals = cmp.values.map((v) => v[k]);
    const d = vals.length === 2 && typeof vals[0] === 'number' && typeof vals[1] === 'number' ? vals[1] - vals[0] : undefined;
    table.appendChild(h('tr', {},
      h('th', {}, label),
      ...vals.map((v, i) => h('td', { class: 'num', 'data-kpi': k, 'data-scenario': cmp.ids[i], 'data-value': typeof v === 'number' ? v : undefined }, fmt(k, v))),
      cmp.values.length === 2 ? h('td', { class: 'num delta' + (d > 0 ? ' up' : d < 0 ? ' down' : '') }, d === undefined ? '' : (d > 0 ? '+' : '') + fmt(k, d)) : null));
  }
  return table;
}

/**
 * parkDiff compares the parks of scenario A and B (arrays of GeoJSON-like
 * {parcel_id, specialty, open_year} properties) and returns
 * [{parcel_id, change, a, b}], change ∈ added | removed | respecialised | retimed.
 */
export function parkDiff(parksA, parksB) {
  const key = (p) => p.parcel_id || p.id;
  const a = new Map(parksA.map((p) => [key(p), p]));
  const b = new Map(parksB.map((p) => [key(p), p]));
  const out = [];
  for (const [id, pb] of b) {
    const pa = a.get(id);
    if (!pa) out.push({ parcel_id: id, change: 'added', a: null, b: pb });
    else if ((pa.specialty || '') !== (pb.specialty || '')) out.push({ parcel_id: id, change: 'respecialised', a: pa, b: pb });
    else if (pa.open_year !== pb.open_year) out.push({ parcel_id: id, change: 'retimed', a: pa, b: pb });
  }
  for (const [id, pa] of a) if (!b.has(id)) out.push({ parcel_id: id, change: 'removed', a: pa, b: null });
  out.sort((x, y) => (x.parcel_id < y.parcel_id ? -1 : x.parcel_id > y.parcel_id ? 1 : 0));
  return out;
}
