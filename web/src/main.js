// main.js — the parkplan map page: loads the county's layers and the saved
// scenarios, draws them, compares two scenarios, explains clicks and runs
// new scenarios. window.parkplan is a small read-only hook for the browser
// test (feature counts, timing, errors).
import 'ol/ol.css';
import './app.css';
import * as api from './api.js';
import { fromLonLat } from 'ol/proj.js';
import { createMap, readFeatures, setFeatures, fitTo, useTiles, isTiled, tiledMinZoom } from './map.js';
import { resetSpecialtyColors, specialtyColor, kindColors, protectedColors, diffColors, tierRadius, unplacedColors } from './styles.js';
import { parkDetails, parcelDetails, firmDetails, h, num } from './details.js';
import { whyNot } from './whynot.js';
import { normalizeCompare, kpiTable, parkDiff, planNotes } from './compare.js';
import { parksByYearChart, quotaChart, seriesColors } from './charts.js';
import { runPanel } from './run.js';
import { evaluationYears, evaluationLayer, evaluationDetails, ratingColors } from './evaluation.js';
import * as province from './province.js';

const errors = [];
window.addEventListener('error', (e) => errors.push(String(e.message || e)));
window.addEventListener('unhandledrejection', (e) => errors.push(String((e.reason && e.reason.message) || e.reason)));

const $ = (id) => document.getElementById(id);

const state = {
  base: { towns: null, parcels: null, protected: null },
  townNames: new Map(),
  tiled: false, // parcels and candidates drawn from vector tiles (a large county)
  scenarios: [],
  a: '', b: '',
  show: 'a',
  docs: new Map(), // scenario id → its record (spec, status)
  layers: new Map(), // "id/layer" → FeatureCollection
  enterprises: null,
  diff: [],
  compare: null,
  // province: the provincial plan drawn (id, colour range), or null.
  province: null,
  // Timings in ms since navigation start (performance.now()): first map
  // render, layers and scenarios loaded, and drawn with the data.
  timing: { scriptStartMs: performance.now(), firstRenderMs: null, dataLoadedMs: null, dataRenderedMs: null },
};

function status(msg, isError) {
  const s = $('status');
  s.textContent = msg;
  s.classList.toggle('error', !!isError);
  if (isError) errors.push(msg);
}

const townName = (code) => state.townNames.get(code) || code || '';
// industryName shows an industry code (the API serves no industry names yet).
const industryName = (code) => code || '—';

async function layer(id, name) {
  const key = id + '/' + name;
  if (!state.layers.has(key)) state.layers.set(key, api.scenarioLayer(id, name));
  try {
    return await state.layers.get(key);
  } catch (e) {
    state.layers.delete(key);
    throw e;
  }
}

function props(fc) {
  return ((fc && fc.features) || []).map((f) => Object.assign({ id: f.id }, f.properties || {}));
}

function specOf(doc) {
  if (!doc) return null;
  return doc.spec || doc.scenario || doc;
}

// ---------- map ----------

const params = new URLSearchParams(location.search);
let ui;

async function config() {
  try {
    const c = await api.getJSON('static/config.json');
    return c || {};
  } catch (e) {
    return {};
  }
}

// tileStats counts what the tiled layers loaded (window.parkplan.tiles()).
const newStats = () => ({ tiles: 0, features: 0, failed: 0, lastError: '' });
const tileStats = { parcels: newStats(), candidates: newStats() };

// drawCandidates draws scenario id's candidate parcels on map m: from
// vector tiles when the parcels are tiled (a large county), else from the
// layer's GeoJSON.
async function drawCandidates(m, id) {
  if (state.tiled) {
    useTiles(m, 'candidates', id + '.candidates', () => api.headers(), tileStats.candidates);
    return;
  }
  setFeatures(m.layers.candidates, readFeatures(await layer(id, 'candidates').catch(() => null)));
}

// candidateOf returns scenario id's candidate record of a parcel: one
// feature when the layer is tiled, else from the whole layer.
async function candidateOf(id, parcelId) {
  if (state.tiled) {
    const f = await api.getJSON('collections/' + encodeURIComponent(id + '.candidates') + '/items/' + encodeURIComponent(parcelId)).catch(() => null);
    return f ? Object.assign({ id: f.id }, f.properties || {}) : null;
  }
  const fc = await layer(id, 'candidates').catch(() => null);
  return props(fc).find((c) => (c.parcel_id || c.id) === parcelId) || null;
}

async function loadBase(tilesAbove) {
  // Parcels above tilesAbove (the server's map_tiles_above) are drawn from
  // vector tiles, loaded for the view only, not as one download.
  const nParcels = await api.featureCount('parcels').catch(() => 0);
  const tileParcels = nParcels > tilesAbove;
  state.tiled = tileParcels;
  if (tileParcels) {
    useTiles(ui, 'parcels', 'parcels', () => api.headers(), tileStats.parcels);
    $('show-parcels').title = `${nParcels === Infinity ? 'over 100,000' : nParcels} parcels: drawn from vector tiles from zoom ${tiledMinZoom} on`;
  }
  const want = ['towns', 'protected'].concat(tileParcels ? [] : ['parcels']);
  const got = await Promise.all(want.map((c) => api.baseLayer(c)));
  [state.base.towns, state.base.protected, state.base.parcels] = got;
  for (const t of props(state.base.towns)) state.townNames.set(t.code || t.id, t.name_zh || t.name_en || t.code);
  setFeatures(ui.layers.towns, readFeatures(state.base.towns));
  if (!tileParcels) setFeatures(ui.layers.parcels, readFeatures(state.base.parcels));
  setFeatures(ui.layers.protected, readFeatures(state.base.protected));
  fitTo(ui.map, ui.layers.towns);
}

// layerCount is the number of features of a map layer: those of a vector
// layer, or those in the tiles a tiled layer has loaded.
const layerCount = (k, l) => (isTiled(l) ? tileStats[k].features : l.getSource().getFeatures().length);

// ---------- scenarios ----------

function fillPickers() {
  for (const [sel, cur] of [[$('pick-a'), state.a], [$('pick-b'), state.b]]) {
    sel.replaceChildren(h('option', { value: '' }, sel.id === 'pick-b' ? '— none —' : '— choose —'));
    for (const s of state.scenarios) {
      const o = h('option', { value: s.id }, `${s.name}${s.status && s.status !== 'done' ? ' [' + s.status + ']' : ''}`);
      if (s.status && s.status !== 'done') o.disabled = true;
      sel.appendChild(o);
    }
    sel.value = cur;
  }
}

async function loadScenarios() {
  state.scenarios = await api.scenarios().catch((e) => {
    status('scenarios: ' + e.message, true);
    return [];
  });
  fillPickers();
}

async function scenarioDoc(id) {
  if (!state.docs.has(id)) state.docs.set(id, api.getJSON('scenarios/' + encodeURIComponent(id)).catch(() => null));
  return state.docs.get(id);
}

/** select shows scenario a (and compares it with b, if given). */
async function select(a, b) {
  state.a = a || '';
  state.b = b && b !== a ? b : '';
  if (state.show === 'b' && !state.b) state.show = 'a';
  fillPickers();
  const url = new URL(location.href);
  url.searchParams.set('a', state.a);
  if (state.b) url.searchParams.set('b', state.b); else url.searchParams.delete('b');
  history.replaceState(null, '', url);
  $('details').replaceChildren();
  if (!state.a) {
    setFeatures(ui.layers.parks, []);
    setFeatures(ui.layers.diff, []);
    if (!state.tiled) setFeatures(ui.layers.candidates, []);
    else ui.layers.candidates.setVisible(false);
    renderCompare();
    return;
  }
  status('loading ' + [state.a, state.b].filter(Boolean).join(' and ') + '…');
  const ids = [state.a, state.b].filter(Boolean);
  const [parks, towns, docs, cmp] = await Promise.all([
    Promise.all(ids.map((id) => layer(id, 'parks'))),
    Promise.all(ids.map((id) => layer(id, 'towns').catch(() => null))),
    Promise.all(ids.map(scenarioDoc)),
    ids.length === 2 ? api.compare(ids).catch((e) => { status('compare: ' + e.message, true); return null; }) : null,
    state.tiled ? null : layer(shownId(), 'candidates').catch(() => null), // warms the cache drawParks reads
  ]);
  state.compare = null;
  if (cmp) {
    state.compare = normalizeCompare(cmp, ids);
    state.compare.names = ids.map((id, i) => nameOf(id) || state.compare.names[i]);
  }
  // A plan that does not exist (infeasible, none found in time) has no parks
  // to compare: the difference would only list every park as removed.
  const planless = docs.map((d) => !d || !d.plan || ['infeasible', 'no_plan'].includes((d.plan.solve || {}).status));
  state.comparable = ids.length === 2 && !planless[0] && !planless[1];
  state.diff = state.comparable ? parkDiff(props(parks[0]), props(parks[1])) : [];
  // The server's difference layer adds the firms that move between plans.
  // It is large (a line per firm moved), so it loads after the rest.
  state.serverDiff = null;
  if (state.comparable) {
    const key = ids.join(',');
    api.getJSON('scenarios/compare/diff.geojson?a=' + encodeURIComponent(ids[0]) + '&b=' + encodeURIComponent(ids[1]))
      .then((fc) => {
        if ([state.a, state.b].join(',') !== key) return;
        state.serverDiff = serverDiffCounts(fc);
        renderDiffSummary();
      })
      .catch((e) => status('difference layer: ' + e.message, true));
  }
  resetSpecialtyColors(parks.flatMap((fc) => props(fc).map((p) => p.specialty)));
  await drawParks();
  renderCompare(parks, towns, docs);
  renderLegend();
  status(`${nameOf(state.a)}: ${props(parks[0]).length} parks` + (state.b ? ` · ${nameOf(state.b)}: ${props(parks[1]).length} parks · ${state.diff.length} changed` : ''));
}

const nameOf = (id) => (state.scenarios.find((s) => s.id === id) || {}).name || id;
// shownId is the scenario the main map draws: A, or B when "map shows B"
// is picked; side by side, the main map is always A and the second map B.
const shownId = () => (!state.split && state.show === 'b' && state.b ? state.b : state.a);
const splitOn = () => state.split && !!state.b;

async function drawParks() {
  const id = shownId();
  if (!id) return;
  const parks = await layer(id, 'parks');
  setFeatures(ui.layers.parks, readFeatures(parks));
  await drawSplit();
  // Difference rings: where a park was added, removed, re-specialised or re-timed from A to B.
  const diffFeatures = [];
  if (state.b) {
    const [pa, pb] = await Promise.all([layer(state.a, 'parks'), layer(state.b, 'parks')]);
    const geo = new Map();
    for (const fc of [pa, pb]) for (const f of fc.features || []) geo.set((f.properties || {}).parcel_id || f.id, f.geometry);
    for (const d of state.diff) {
      const p = d.b || d.a;
      diffFeatures.push({ type: 'Feature', id: 'diff-' + d.parcel_id, geometry: geo.get(d.parcel_id), properties: { change: d.change, parcel_id: d.parcel_id, tier: p.tier } });
    }
  }
  setFeatures(ui.layers.diff, readFeatures({ type: 'FeatureCollection', features: diffFeatures }));
  for (const u of maps()) u.layers.diff.setVisible($('show-diff').checked && !!state.b);
  await drawCandidates(ui, id);
  ui.layers.candidates.setVisible($('show-candidates').checked);
  if ($('show-lines').checked) await drawLines();
  else setFeatures(ui.layers.assignments, []);
  await drawUnplaced();
}

// drawUnplaced draws the firms each plan leaves out (on demand), coloured by reason.
async function drawUnplaced() {
  const on = $('show-unplaced').checked;
  setFeatures(ui.layers.unplaced, on && shownId() ? readFeatures(await layer(shownId(), 'unplaced')) : []);
  if (uiB && splitOn()) setFeatures(uiB.layers.unplaced, on ? readFeatures(await layer(state.b, 'unplaced')) : []);
}

async function drawLines() {
  const id = shownId();
  if (!id) return;
  const fc = await layer(id, 'assignments');
  setFeatures(ui.layers.assignments, readFeatures(fc));
  if (splitOn()) setFeatures(uiB.layers.assignments, readFeatures(await layer(state.b, 'assignments')));
}

// maps lists the maps on the page: the main one, and B's when side by side.
const maps = () => (uiB && splitOn() ? [ui, uiB] : [ui]);

// drawSplit shows or hides the second map and draws B's parks in it.
async function drawSplit() {
  document.body.classList.toggle('split', splitOn());
  for (const r of document.querySelectorAll('input[name=show]')) r.disabled = splitOn();
  if (!splitOn()) {
    // A hidden map would still size the view they share: detach it.
    if (uiB) uiB.map.setTarget(null);
    ui.map.updateSize();
    return;
  }
  if (!uiB) {
    uiB = createMap('map-b', ui.baseMapURL, ui);
    uiB.map.on('singleclick', (ev) => onClick(ev, uiB, () => state.b));
    for (const [id, name] of layerToggles) uiB.layers[name].setVisible($(id).checked);
  }
  uiB.map.setTarget('map-b');
  const [parks] = await Promise.all([layer(state.b, 'parks'), drawCandidates(uiB, state.b)]);
  setFeatures(uiB.layers.parks, readFeatures(parks));
  uiB.layers.candidates.setVisible($('show-candidates').checked);
  setFeatures(uiB.layers.assignments, $('show-lines').checked ? readFeatures(await layer(state.b, 'assignments')) : []);
  setFeatures(uiB.layers.unplaced, $('show-unplaced').checked ? readFeatures(await layer(state.b, 'unplaced')) : []);
  $('map-b-label').textContent = 'B: ' + nameOf(state.b);
  $('map-a-label').textContent = 'A: ' + nameOf(state.a);
  ui.map.updateSize();
  uiB.map.updateSize();
}

// layerToggles ties each layer checkbox to its layer (in every map).
const layerToggles = [['show-towns', 'towns'], ['show-parcels', 'parcels'], ['show-protected', 'protected'], ['show-candidates', 'candidates']];

// ---------- comparison, charts ----------

function parksPerYear(fc, firstYear) {
  const m = new Map();
  for (const p of props(fc)) {
    let y = p.open_year || 0;
    if (firstYear && y < firstYear) y = firstYear - 1;
    m.set(y, (m.get(y) || 0) + 1);
  }
  return m;
}

function sumYears(v) {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object') return Object.values(v).reduce((s, x) => s + (Number(x) || 0), 0);
  return 0;
}

function quotaByTown(fc) {
  const m = new Map();
  for (const p of props(fc)) {
    const code = p.town || p.code || p.id;
    const r = m.get(code) || { available: 0, used: 0 };
    r.available += sumYears(p.quota_mu);
    r.used += sumYears(p.new_land_used_mu);
    m.set(code, r);
  }
  return m;
}

function renderCompare(parks, towns, docs) {
  const box = $('compare');
  box.replaceChildren();
  if (!state.a || !parks) {
    box.appendChild(h('p', { class: 'note' }, 'Choose a scenario (A), and a second one (B) to compare.'));
    return;
  }
  if (state.compare) box.appendChild(kpiTable(state.compare));
  const labels = [state.a, state.b].filter(Boolean).map((id, i) => `${i ? 'B' : 'A'}: ${nameOf(id)}`);
  docs.forEach((d, i) => box.appendChild(planNotes(d, labels[i], seriesColors[i])));
  if (state.b) {
    box.appendChild(h('p', { class: 'diff-summary', id: 'diff-summary' }));
    renderDiffSummary();
  }
  const spec = specOf(docs[0]) || {};
  const first = spec.first_year || 2019;
  const names = [state.a, state.b].filter(Boolean).map(nameOf);
  box.appendChild(h('h4', {}, 'Parks open by year'));
  box.appendChild(parksByYearChart(parks.map((fc, i) => ({ name: names[i], byYear: parksPerYear(fc, first) })), spec.target_parks || 20, spec.target_year || 2020, first, spec.last_year));
  const q = towns.map((fc) => (fc ? quotaByTown(fc) : new Map()));
  const codes = [...new Set(q.flatMap((m) => [...m.keys()]))].sort();
  if (codes.length) {
    box.appendChild(h('h4', {}, 'New-land quota: used / available per town (mu, whole horizon)'));
    box.appendChild(quotaChart(codes.map((c) => ({
      code: c, name: townName(c),
      available: q.map((m) => (m.get(c) || { available: 0 }).available),
      used: q.map((m) => (m.get(c) || { used: 0 }).used),
    })), names));
  }
}

// renderDiffSummary writes the A → B counts: parks from the two parks
// layers, firms from the server's difference layer once it has arrived.
function renderDiffSummary() {
  const p = $('diff-summary');
  if (!p) return;
  if (!state.comparable) {
    p.textContent = 'A → B: no difference to show, one of the two has no plan (see below).';
    return;
  }
  const counts = countByChange();
  p.textContent = 'A → B parks: ' + ['added', 'removed', 'respecialised', 'retimed'].map((c) => `${counts[c] || 0} ${c}`).join(', ') +
    (state.serverDiff ? '; firms: ' + ['entered', 'left', 'moved'].map((c) => `${state.serverDiff.firms[c] || 0} ${c}`).join(', ') : '; firms: …');
}

function renderLegend() {
  const lg = $('legend');
  lg.replaceChildren();
  const specs = [...new Set(props({ features: ui.layers.parks.getSource().getFeatures().map((f) => ({ properties: f.getProperties() })) }).map((p) => p.specialty))].filter(Boolean).sort();
  const sw = (color, label, round) => h('span', { class: 'sw' }, h('i', { style: `background:${color};${round ? 'border-radius:50%' : ''}` }), label);
  lg.appendChild(h('div', {}, h('b', {}, 'specialty '), ...specs.map((s) => sw(specialtyColor(s), industryName(s), true))));
  lg.appendChild(h('div', {}, h('b', {}, 'tier '), ...Object.entries(tierRadius).map(([t, r]) =>
    h('span', { class: 'sw' }, h('i', { style: `width:${2 * r}px;height:${2 * r}px;border-radius:50%;background:#888` }), t))));
  lg.appendChild(h('div', {}, h('b', {}, 'parcels '), ...Object.entries(kindColors).map(([k, c]) => sw(c, k))));
  lg.appendChild(h('div', {}, h('b', {}, 'protected '), ...Object.entries(protectedColors).map(([k, c]) => sw(c, k))));
  if (state.b) lg.appendChild(h('div', {}, h('b', {}, 'A → B '), ...Object.entries(diffColors).map(([k, c]) => sw(c, k, true))));
  if ($('show-unplaced').checked) lg.appendChild(h('div', {}, h('b', {}, 'unplaced '), ...Object.entries(unplacedColors).map(([k, c]) => sw(c, k, true))));
  if ($('show-eval').checked) lg.appendChild(h('div', {}, h('b', {}, `evaluation ${$('eval-year').value} `), ...Object.entries(ratingColors).map(([k, c]) => sw(c, k))));
  if (state.province) lg.appendChild(province.legend(state.province.lo, state.province.hi));
}

// ---------- province (省) ----------

// fillProvinces offers the saved provincial plans that have a result.
async function fillProvinces() {
  const list = (await province.provinces().catch(() => [])).filter((p) => p.solved);
  $('province-pick').replaceChildren(...list.map((p) => h('option', { value: p.id }, p.name || p.id)));
  $('show-province').disabled = list.length === 0;
  return list;
}

// drawProvince draws the chosen plan's counties coloured by the marginal
// value of a mu, or none, and keeps ?province= in the address.
async function drawProvince() {
  const on = $('show-province').checked && $('province-pick').value;
  const url = new URL(location.href);
  if (on) url.searchParams.set('province', $('province-pick').value); else url.searchParams.delete('province');
  history.replaceState(null, '', url);
  if (!on) {
    state.province = null;
    setFeatures(ui.layers.province, []);
    renderLegend();
    return;
  }
  const id = $('province-pick').value;
  const features = readFeatures(await province.allocation(id));
  const [lo, hi] = province.colour(features);
  setFeatures(ui.layers.province, features);
  state.province = { id, lo, hi };
  fitTo(ui.map, ui.layers.province);
  renderLegend();
}

// openCounty shows a county's allocation and opens its plan on the map.
async function openCounty(f) {
  for (const x of ui.layers.province.getSource().getFeatures()) x.set('_selected', x === f, true);
  ui.layers.province.changed();
  const p = Object.assign({ id: f.getId() }, f.getProperties());
  delete p.geometry;
  $('details').replaceChildren(province.countyDetails(p));
  showTab('details');
  if (!p.scenario_id) return;
  await select(p.scenario_id, '');
  ui.map.getView().fit(f.getGeometry().getExtent(), { duration: 0, padding: [20, 20, 20, 20] });
  $('details').replaceChildren(province.countyDetails(p));
  showTab('details');
}

// ---------- evaluation (评价考核) ----------

// fillEvalYears offers the years with a saved evaluation, newest first.
async function fillEvalYears() {
  const years = await evaluationYears().catch(() => []);
  $('eval-year').replaceChildren(...years.map((y) => h('option', { value: String(y) }, String(y))));
  $('show-eval').disabled = years.length === 0;
}

// drawEvaluation draws the chosen year's parks coloured by rating, or none.
async function drawEvaluation() {
  const on = $('show-eval').checked && $('eval-year').value;
  setFeatures(ui.layers.evaluation, on ? readFeatures(await evaluationLayer($('eval-year').value)) : []);
  renderLegend();
}

// ---------- clicks ----------

async function showPark(p, id) {
  const det = $('details');
  const doc = await scenarioDoc(id);
  const rules = specOf(doc) || {};
  let firms = [];
  try {
    const [asg, ent] = await Promise.all([layer(id, 'assignments'), enterprises()]);
    const pid = p.parcel_id || p.id;
    firms = props(asg).filter((a) => (a.parcel_id || a.park) === pid).map((a) => {
      const e = ent.get(a.enterprise_id) || {};
      return { id: a.enterprise_id, industry: a.industry || e.industry, size: a.size || e.size, floor_m2: a.floor_m2 ?? e.floor_m2, distance_m: a.distance_m };
    });
  } catch (e) {
    status('firms: ' + e.message, true);
  }
  det.replaceChildren(parkDetails(p, firms, rules, townName, industryName));
  showTab('details');
}

async function enterprises() {
  if (!state.enterprises) {
    state.enterprises = api.baseLayer('enterprises').then((fc) => new Map(props(fc).map((e) => [e.id, e])));
  }
  return state.enterprises;
}

async function showParcel(base, feature, id) {
  let cand = null;
  let derived = [];
  if (id) {
    const [c, parks, towns, doc] = await Promise.all([
      candidateOf(id, base.id), layer(id, 'parks'), layer(id, 'towns').catch(() => null), scenarioDoc(id)]);
    cand = c;
    if (cand && cand.chosen === false && cand.reason == null && cand.reasons == null) {
      // Tiled parcels carry no full geometry to reason on: no derived reasons.
      const f = isTiled(ui.layers.parcels) ? null : ui.layers.parcels.getSource().getFeatureById(base.id) || feature;
      if (f) derived = whyNot(f, { protected: ui.layers.protected.getSource().getFeatures(), towns: props(towns), parks: props(parks), spec: specOf(doc), fmt: num });
    }
  }
  $('details').replaceChildren(parcelDetails(base, cand, townName, derived));
  showTab('details');
}

// onClick answers a click on map m, which draws scenario idOf(): a park
// opens its details, a parcel says whether and why it was chosen.
function onClick(ev, m, idOf) {
  let hit = null;
  m.map.forEachFeatureAtPixel(ev.pixel, (f, l) => {
    const rank = (x) => (x === m.layers.evaluation ? 3 : x === m.layers.parks ? 2 : x === m.layers.unplaced ? 1 : x === m.layers.province ? 0.5 : 0);
    if (!hit || rank(l) > rank(hit.layer)) hit = { f, layer: l };
    return l === m.layers.evaluation;
  }, { hitTolerance: 3, layerFilter: (l) => [m.layers.evaluation, m.layers.parks, m.layers.parcels, m.layers.candidates, m.layers.unplaced, m.layers.province].filter(Boolean).includes(l) });
  if (hit && hit.layer === m.layers.province) {
    openCounty(hit.f).catch((e) => status(e.message, true));
    return;
  }
  for (const u of maps()) {
    for (const f of u.layers.parks.getSource().getFeatures()) f.set('_selected', false, true);
    u.layers.parks.changed();
  }
  if (!hit) return;
  const p = Object.assign({ id: hit.f.getId() }, hit.f.getProperties());
  delete p.geometry;
  if (hit.layer === m.layers.evaluation) {
    $('details').replaceChildren(evaluationDetails(p, townName));
    showTab('details');
  } else if (hit.layer === m.layers.unplaced) {
    $('details').replaceChildren(firmDetails(p, townName, industryName));
    showTab('details');
  } else if (hit.layer === m.layers.parks) {
    hit.f.set('_selected', true);
    showPark(p, idOf()).catch((e) => status(e.message, true));
  } else {
    showParcel(p, hit.f, idOf()).catch((e) => status(e.message, true));
  }
}

function showTab(name) {
  for (const b of document.querySelectorAll('[data-tab]')) b.classList.toggle('active', b.dataset.tab === name);
  for (const p of document.querySelectorAll('.tab')) p.hidden = p.id !== 'tab-' + name;
}

// ---------- start ----------

// serverDiffCounts counts the features of GET /scenarios/compare/diff.geojson:
// parks added, removed, re-specialised, re-timed; firms entered, left, moved.
function serverDiffCounts(fc) {
  const out = { parks: {}, firms: {} };
  for (const p of props(fc)) {
    const bucket = p.layer === 'firms' ? out.firms : out.parks;
    const changes = p.layer === 'firms' || p.change !== 'changed' ? [p.change] : [p.respecialised && 'respecialised', p.retimed && 'retimed'].filter(Boolean);
    for (const c of changes) bucket[c] = (bucket[c] || 0) + 1;
  }
  return out;
}

function countByChange() {
  const c = {};
  for (const d of state.diff) c[d.change] = (c[d.change] || 0) + 1;
  return c;
}

// featureOf finds a feature of a map layer by its parcel id (parks) or id.
function featureOf(layerName, id) {
  if (isTiled(ui.layers[layerName])) return null; // tiles hold render features only
  const src = ui.layers[layerName].getSource();
  return src.getFeatureById(id) || src.getFeatures().find((x) => x.get('parcel_id') === id) || null;
}

// pixelOf returns page coordinates of a point inside the feature, for a real mouse click.
function pixelOf(layerName, id) {
  const f = featureOf(layerName, id);
  if (!f) return null;
  const g = f.getGeometry();
  const pt = g.getType() === 'MultiPolygon' ? g.getPolygons().sort((x, y) => y.getArea() - x.getArea())[0].getInteriorPoint() : g.getInteriorPoint ? g.getInteriorPoint() : g;
  const px = ui.map.getPixelFromCoordinate(pt.getCoordinates().slice(0, 2));
  const r = $('map').getBoundingClientRect();
  return px ? [px[0] + r.left, px[1] + r.top] : null;
}

window.parkplan = Object.freeze({
  /** counts of features drawn in each map layer. */
  counts: () => Object.fromEntries(Object.entries(ui.layers).map(([k, l]) => [k, layerCount(k, l)])),
  /** countsB: the same for B's map side by side (null when not shown). */
  countsB: () => (uiB && splitOn() ? Object.fromEntries(Object.entries(uiB.layers).map(([k, l]) => [k, layerCount(k, l)])) : null),
  /** tiles: per tiled layer, tiles and features loaded and failures ({} when none is tiled). */
  tiles: () => Object.fromEntries(Object.entries(ui.layers).filter(([, l]) => isTiled(l)).map(([k]) => [k, Object.assign({}, tileStats[k])])),
  diff: countByChange,
  /** serverDiff: the counts of the server's difference layer (parks and firms), or null. */
  serverDiff: () => state.serverDiff,
  selected: () => ({ a: state.a, b: state.b, show: shownId(), split: splitOn() }),
  /** province: the provincial plan drawn: id, colour range, each county's colour and marginal value (null when none). */
  province: () => (state.province ? Object.assign({}, state.province, {
    counties: Object.fromEntries(ui.layers.province.getSource().getFeatures().map((f) => [f.getId(), { colour: f.get('_colour'), marginal: f.get('marginal_value'), scenario: f.get('scenario_id') }])),
  }) : null),
  select: (a, b) => select(a, b),
  /** parkIds: parcel ids of the parks drawn. */
  parkIds: () => ui.layers.parks.getSource().getFeatures().map((f) => f.get('parcel_id') || f.getId()),
  /** pixelOf(layer, id): page coordinates of a point inside a feature, for a real mouse click. */
  pixelOf,
  /** zoomTo(layer, id, zoom): centre the map on a feature. */
  zoomTo: (layerName, id, zoom) => {
    const f = featureOf(layerName, id);
    if (f) ui.map.getView().fit(f.getGeometry().getExtent(), { maxZoom: zoom || 15, duration: 0 });
    return !!f;
  },
  /** center(lon, lat, zoom): move the view, as a pan and zoom would. */
  center: (lon, lat, zoom) => {
    ui.map.getView().setCenter(fromLonLat([lon, lat]));
    ui.map.getView().setZoom(zoom);
    return true;
  },
  /** fit: zoom to the whole county (the towns layer). */
  fit: () => fitTo(ui.map, ui.layers.towns),
  /** split(on): side by side or one map, as the checkbox does. */
  split: (on) => { const c = $('split'); c.checked = !!on; c.dispatchEvent(new Event('change')); return state.splitDrawn; },
  /** tab(name): show a side panel tab (compare, details, run). */
  tab: (name) => showTab(name),
  rendered: () => new Promise((r) => { ui.map.once('rendercomplete', () => r(true)); ui.map.render(); }),
  timing: () => Object.assign({}, state.timing),
  errors: () => errors.slice(),
  ready: () => ready,
  lastRun: () => lastRun,
});

// defaultA is the scenario shown first: the baseline if there is one, else the first solved.
function defaultA() {
  const done = state.scenarios.filter((s) => !s.status || s.status === 'done');
  return (done.find((s) => /baseline/i.test(s.id + s.name)) || done[0] || {}).id || '';
}

async function start() {
  const cfg = await config();
  ui = createMap('map', params.get('basemap') || cfg.baseMapURL || '');
  ui.baseMapURL = params.get('basemap') || cfg.baseMapURL || '';
  ui.map.on('singleclick', (ev) => onClick(ev, ui, shownId));
  state.split = params.get('split') === '1';
  $('split').checked = state.split;
  $('split').addEventListener('change', () => {
    state.split = $('split').checked;
    const url = new URL(location.href);
    if (state.split) url.searchParams.set('split', '1'); else url.searchParams.delete('split');
    history.replaceState(null, '', url);
    state.splitDrawn = drawParks().then(() => { renderLegend(); fitTo(ui.map, ui.layers.towns); }).catch((e) => status(e.message, true));
  });
  ui.map.once('rendercomplete', () => { state.timing.firstRenderMs = performance.now(); });
  $('pick-a').addEventListener('change', () => select($('pick-a').value, state.b).catch((e) => status(e.message, true)));
  $('pick-b').addEventListener('change', () => select(state.a, $('pick-b').value).catch((e) => status(e.message, true)));
  for (const r of document.querySelectorAll('input[name=show]')) {
    r.addEventListener('change', () => { state.show = r.value; drawParks().then(renderLegend).catch((e) => status(e.message, true)); });
  }
  $('show-lines').addEventListener('change', () => ($('show-lines').checked ? drawLines() : Promise.resolve(maps().forEach((u) => setFeatures(u.layers.assignments, [])))).catch((e) => status(e.message, true)));
  $('show-unplaced').addEventListener('change', () => drawUnplaced().then(renderLegend).catch((e) => status(e.message, true)));
  $('show-eval').addEventListener('change', () => drawEvaluation().catch((e) => status(e.message, true)));
  $('eval-year').addEventListener('change', () => drawEvaluation().catch((e) => status(e.message, true)));
  $('show-province').addEventListener('change', () => drawProvince().catch((e) => status(e.message, true)));
  $('province-pick').addEventListener('change', () => drawProvince().catch((e) => status(e.message, true)));
  $('show-diff').addEventListener('change', () => maps().forEach((u) => u.layers.diff.setVisible($('show-diff').checked && !!state.b)));
  for (const [id, name] of layerToggles) {
    $(id).addEventListener('change', () => [ui, uiB].filter(Boolean).forEach((u) => u.layers[name].setVisible($(id).checked)));
  }
  for (const b of document.querySelectorAll('[data-tab]')) b.addEventListener('click', () => showTab(b.dataset.tab));
  const run = runPanel(() => currentSpec, async (id) => {
    await loadScenarios();
    await select(state.a || id, id);
    showTab('compare');
  }, (ev) => { lastRun = ev; }, async () => {
    await loadScenarios();
    if (!state.a && defaultA()) await select(defaultA(), '');
  });
  $('tab-run').appendChild(run.el);
  showTab('compare');

  status('loading layers…');
  const [, , , provs] = await Promise.all([loadBase(cfg.tilesAbove ?? 20000), loadScenarios(), fillEvalYears(), fillProvinces()]);
  const a = params.get('a') || defaultA();
  const b = params.get('b') || '';
  await select(a, b);
  // ?province=ID opens the province view on that plan
  if (params.get('province') && provs.some((p) => p.id === params.get('province'))) {
    $('province-pick').value = params.get('province');
    $('show-province').checked = true;
    await drawProvince();
  }
  currentSpec = specOf(await (state.a ? scenarioDoc(state.a) : null));
  run.fill();
  $('pick-a').addEventListener('change', async () => { currentSpec = specOf(await scenarioDoc(state.a)); run.fill(); });
  state.timing.dataLoadedMs = performance.now();
  await new Promise((r) => { ui.map.once('rendercomplete', r); ui.map.render(); });
  state.timing.dataRenderedMs = performance.now();
  ready = true;
}

let uiB = null; // the second map, side by side (B), made on first use
let currentSpec = null;
let lastRun = null;
let ready = false;

start().catch((e) => status('start: ' + e.message, true));
