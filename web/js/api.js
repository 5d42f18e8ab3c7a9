// api.js - the dashboard's only way to landport's HTTP API: bearer token from
// sessionStorage, JSON in and out, RFC 9457 problem+json turned into ApiError
// with the field errors keyed by where they point (body pointer, header, query).
const TOKEN_KEY = 'landport.token';

export function getToken() { return sessionStorage.getItem(TOKEN_KEY); }
export function setToken(t) { sessionStorage.setItem(TOKEN_KEY, t); }
export function clearToken() { sessionStorage.removeItem(TOKEN_KEY); }

// Where a problem's error points: "/goods/0/hs_code", "header:X-Reason",
// "query:from" or "" when it names no field.
export function errorKey(e) {
  if (e.pointer !== undefined) return e.pointer;
  if (e.header) return 'header:' + e.header;
  if (e.parameter) return 'query:' + e.parameter;
  return '';
}

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || 'HTTP ' + status);
    this.status = status;
    this.problem = problem || { status, title: 'HTTP ' + status, detail: '' };
    this.errors = Array.isArray(this.problem.errors) ? this.problem.errors : [];
  }
}

let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

// Sends one request.  opts: body (JSON), token (overrides the stored one),
// ifMatch (ETag), reason (X-Reason), signal.  Answers {data, etag, status};
// throws ApiError for 4xx/5xx (and calls the 401 handler first).
export async function request(method, path, opts = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  const tok = opts.token !== undefined ? opts.token : getToken();
  if (tok) headers.Authorization = 'Bearer ' + tok;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.ifMatch) headers['If-Match'] = opts.ifMatch;
  if (opts.reason) headers['X-Reason'] = opts.reason;
  const res = await fetch('/api/v1' + path, {
    method, headers, signal: opts.signal,
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
  });
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!res.ok) {
    const err = new ApiError(res.status, data);
    if (res.status === 401 && opts.token === undefined) onUnauthorized(err);
    throw err;
  }
  return { data, etag: res.headers.get('ETag'), status: res.status };
}

export async function get(path, opts) { return (await request('GET', path, opts)).data; }
export async function post(path, body, opts = {}) { return (await request('POST', path, { ...opts, body })).data; }
export async function patch(path, body, opts = {}) { return (await request('PATCH', path, { ...opts, body })).data; }

// Builds "?a=1&b=2" from the members that are set.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {}))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? '?' + s : '';
}
