// api.js — talks to the parkplan server: whole GeoJSON layers (base and
// scenario), scenarios, the comparison, and scenario runs with live progress.
// Every request is relative to the page's origin; nothing leaves it.

const tokenKey = 'parkplan.token';

/** token returns the planner token kept in sessionStorage ('' if none). */
export function token() {
  try {
    return sessionStorage.getItem(tokenKey) || '';
  } catch (e) {
    return '';
  }
}

/** setToken keeps t for this browser tab only (sessionStorage). */
export function setToken(t) {
  try {
    if (t) sessionStorage.setItem(tokenKey, t);
    else sessionStorage.removeItem(tokenKey);
  } catch (e) {
    /* storage disabled: the token lives only in the field */
  }
}

/** headers returns the request headers: Accept, and the token if any. */
export function headers(extra) {
  const h = Object.assign({ Accept: 'application/json, application/geo+json' }, extra || {});
  const t = token();
  if (t) h.Authorization = 'Bearer ' + t;
  return h;
}

/** ApiError carries the RFC 9457 problem document of a failed request. */
export class ApiError extends Error {
  constructor(status, problem, url) {
    const detail = (problem && (problem.detail || problem.title)) || 'HTTP ' + status;
    const field = problem && problem.field ? ' (' + problem.field + ')' : '';
    super(detail + field);
    this.status = status;
    this.problem = problem;
    this.url = url;
  }
}

async function parse(res, url) {
  const text = await res.text();
  let body = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch (e) {
      body = { detail: text.slice(0, 200) };
    }
  }
  if (!res.ok) throw new ApiError(res.status, body, url);
  return body;
}

/** getJSON fetches url and returns its JSON body, or throws ApiError. */
export async function getJSON(url) {
  const res = await fetch(url, { headers: headers() });
  return parse(res, url);
}

/** send issues a JSON request (POST, DELETE …) and returns its JSON body. */
export async function send(method, url, body) {
  const init = { method, headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }) };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(url, init);
  return parse(res, url);
}

/** baseLayer loads a whole base layer (towns, parcels, protected, enterprises) as one FeatureCollection. */
export function baseLayer(name) {
  return getJSON('layers/' + encodeURIComponent(name) + '.geojson');
}

/**
 * featureCount returns how many features collection holds (numberMatched of
 * a one-feature page), or Infinity when the server did not count them all.
 */
export async function featureCount(collection) {
  const page = await getJSON('collections/' + encodeURIComponent(collection) + '/items?limit=1');
  return typeof page.numberMatched === 'number' ? page.numberMatched : Infinity;
}

/** scenarioLayer loads layer (parks, assignments, unplaced, towns, candidates) of scenario id. */
export function scenarioLayer(id, layer) {
  return getJSON('scenarios/' + encodeURIComponent(id) + '/layers/' + encodeURIComponent(layer) + '.geojson');
}

/** scenarios lists the saved scenarios the caller may read. */
export async function scenarios() {
  const body = await getJSON('scenarios');
  const list = Array.isArray(body) ? body : body.scenarios || body.items || [];
  return list.map((s) => ({
    id: s.id,
    name: s.name || (s.scenario && s.scenario.name) || (s.spec && s.spec.name) || s.id,
    status: s.status || '',
    raw: s,
  }));
}

/** compare fetches the KPI comparison of scenarios ids. */
export function compare(ids) {
  return getJSON('scenarios/compare?ids=' + ids.map(encodeURIComponent).join(','));
}

/**
 * events follows the scenario's Server-Sent Events stream with the token in
 * the Authorization header (EventSource cannot send one), calling
 * onEvent(type, data) for each event until the stream ends or signal aborts.
 */
export async function events(id, onEvent, signal) {
  const url = 'scenarios/' + encodeURIComponent(id) + '/events';
  const res = await fetch(url, { headers: headers({ Accept: 'text/event-stream' }), signal });
  if (!res.ok) await parse(res, url);
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += dec.decode(value, { stream: true });
    let cut;
    while ((cut = buf.search(/\r?\n\r?\n/)) >= 0) {
      const block = buf.slice(0, cut);
      buf = buf.slice(cut).replace(/^\r?\n\r?\n/, '');
      let type = 'message';
      const data = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('event:')) type = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length === 0) continue;
      let parsed = data.join('\n');
      try {
        parsed = JSON.parse(parsed);
      } catch (e) {
        /* plain text event */
      }
      if (onEvent(type, parsed) === false) {
        reader.cancel();
        return;
      }
    }
  }
}
