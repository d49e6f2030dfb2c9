// compare.js — the KPI table of two scenarios side by side, from
// GET /scenarios/compare, and the park difference between them computed
// from their parks layers (added, removed, re-specialised, re-timed).
import { h } from './details.js';
import { seriesColors } from './charts.js';

/**
 * normalizeCompare turns the GET /scenarios/compare document
 * ({scenarios: [{id, name, …}], kpis: [{key, label, unit, values: […]}]})
 * into {ids, names, rows: [{key, label, unit, values}]}, the columns in
 * the order of ids.
 */
export function normalizeCompare(body, ids) {
  const cols = (body.scenarios || []).map((c) => c.id);
  const pick = ids.map((id) => cols.indexOf(id));
  const names = ids.map((id, i) => (pick[i] >= 0 ? body.scenarios[pick[i]].name : id) || id);
  const rows = (body.kpis || []).map((r) => ({
    key: r.key, label: r.label || r.key, unit: r.unit || '',
    values: pick.map((j) => (j >= 0 && r.values && typeof r.values[j] === 'number' ? r.values[j] : null)),
  }));
  return { ids, names, rows, diffs: body.diffs || [] };
}

function fmt(key, v) {
  if (typeof v !== 'number') return '—';
  if (key === 'gap') return (v * 100).toFixed(2) + ' %';
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return v.toLocaleString('en-US', { maximumFractionDigits: Math.abs(v) >= 100 ? 0 : 2 });
}

// kpiSense says which way a KPI improves: +1 higher is better, −1 lower is
// better; KPIs not listed are neither (land by kind, the bound).
const kpiSense = {
  parks_by_target_year: 1, parks_total: 1, towns_covered: 1, firms_placed: 1, floor_placed_m2: 1,
  output_per_mu: 1, objective: 1, mean_relocation_km: -1, max_relocation_km: -1, cost_wan: -1, gap: -1, solve_s: -1,
};

/** kpiTable renders the normalised comparison; every value cell carries data-kpi, data-scenario and data-value. */
export function kpiTable(cmp) {
  const two = cmp.ids.length === 2;
  const table = h('table', { class: 'kpi', id: 'kpi-table' },
    h('tr', {}, h('th', {}, 'KPI'), ...cmp.names.map((n, i) => h('th', { class: 'num', style: `color:${seriesColors[i % 2]}` }, (i ? 'B: ' : 'A: ') + n)),
      two ? h('th', { class: 'num' }, 'B − A') : null));
  for (const r of cmp.rows) {
    const d = two && r.values[0] !== null && r.values[1] !== null ? r.values[1] - r.values[0] : undefined;
    const shown = d === undefined ? '' : fmt(r.key, d);
    const zero = d === undefined || /^-?0(\.0+)?( %)?$/.test(shown);
    const better = zero ? 0 : Math.sign(d) * (kpiSense[r.key] || 0);
    table.appendChild(h('tr', {},
      h('th', {}, r.label + (r.unit && r.key !== 'gap' ? ', ' + r.unit : '')),
      ...r.values.map((v, i) => h('td', { class: 'num', 'data-kpi': r.key, 'data-scenario': cmp.ids[i], 'data-value': v === null ? undefined : v }, fmt(r.key, v))),
      two ? h('td', { class: 'num delta' + (better > 0 ? ' better' : better < 0 ? ' worse' : ''), title: better > 0 ? 'B is better' : better < 0 ? 'B is worse' : '' },
        zero ? '' : (d > 0 ? '+' : '') + shown) : null));
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

/**
 * planNotes renders what a planner must know about a plan beyond its KPIs:
 * how the solve ended (optimal, feasible with a gap, infeasible), the rules
 * that bind, and for an infeasible scenario why no plan exists and the
 * smallest relaxation that restores one; doc is GET /scenarios/{id}.
 */
export function planNotes(doc, label, color) {
  const plan = doc && doc.plan;
  const box = h('div', { class: 'plan-notes', 'data-scenario': doc ? doc.id : '' });
  box.appendChild(h('h4', { style: `color:${color}` }, label));
  if (!plan) {
    box.appendChild(h('p', { class: 'note' }, `no plan (status ${(doc && doc.status) || 'unknown'}${doc && doc.error ? ': ' + doc.error : ''})`));
    return box;
  }
  // A plan built on an older dataset revision says so first, in the server's words.
  if (doc.stale) box.appendChild(h('p', { class: 'stale', 'data-stale': doc.stale }, doc.stale));
  const sv = plan.solve || {};
  const status = { optimal: 'optimal', feasible: 'feasible: a plan with a proven gap (limit reached or bound stalled)', infeasible: 'infeasible: no plan meets the rules', no_plan: 'no plan found in the time limit' }[sv.status] || sv.status;
  box.appendChild(h('p', { class: 'solve-status ' + (sv.status || ''), 'data-solve-status': sv.status || '' },
    status + (sv.status === 'feasible' || sv.status === 'optimal' ? ` (gap ${((sv.gap || 0) * 100).toFixed(2)} %, ${(sv.elapsed_s || 0).toFixed(1)} s, ${sv.nodes || 0} nodes)` : '')));
  if (sv.binding && sv.binding.length) box.appendChild(h('p', {}, 'binding: ' + sv.binding.join('; ')));
  const ex = plan.explanation;
  if (ex) {
    if (ex.conflicts && ex.conflicts.length) box.appendChild(h('ul', { class: 'conflicts' }, ...ex.conflicts.map((c) => h('li', {}, c))));
    if (ex.relaxations && ex.relaxations.length) box.appendChild(h('p', { class: 'relaxations' }, 'smallest change that restores a plan: ' + ex.relaxations.join('; ')));
  }
  if (plan.warnings && plan.warnings.length) box.appendChild(h('ul', { class: 'warnings' }, ...plan.warnings.map((w) => h('li', {}, w))));
  return box;
}
