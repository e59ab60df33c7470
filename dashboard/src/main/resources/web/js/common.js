// Shared by the dashboard's pages: session and rights, JSON over fetch, small DOM helpers.

/** What this browser may do: {rights: none|read|control, problem, read_open, controls_enabled, thresholds}. */
export async function session() {
  const response = await fetch('/session', { credentials: 'same-origin', cache: 'no-store' });
  return response.json();
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function errorOf(response) {
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = await response.json();
    if (body && body.error) message = body.error;
  } catch (ignored) {
    // Not JSON: keep the status line.
  }
  return new ApiError(response.status, message);
}

export async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  if (!response.ok) throw await errorOf(response);
  return response.json();
}

export async function postJson(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify(body),
  });
  if (!response.ok) throw await errorOf(response);
  return response.json();
}

/** el('div', {class: 'x', onclick: f}, 'text', child, ...) */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2), value);
    } else if (key === 'dataset') {
      Object.assign(node.dataset, value);
    } else {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** A unique id for a slate event (crypto.randomUUID needs a secure context; plain http on set has none). */
export function randomId(prefix) {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return `${prefix}-${Date.now().toString(36)}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export function fixed(value, digits = 1) {
  return value === null || value === undefined || Number.isNaN(value) ? '–' : Number(value).toFixed(digits);
}

/** Today's date here, YYYY-MM-DD. */
export function today() {
  const now = new Date();
  const two = (v) => String(v).padStart(2, '0');
  return `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
}

/** Shows what to do when the dashboard needs a token this browser does not have. */
export function tokenPrompt(container, problem) {
  const input = el('input', { type: 'password', name: 'token', autocomplete: 'off', placeholder: 'token', 'aria-label': 'token' });
  const form = el(
    'form',
    {
      class: 'token-form',
      onsubmit: (event) => {
        event.preventDefault();
        const url = new URL(location.href);
        url.searchParams.set('token', input.value.trim());
        location.assign(url.toString());
      },
    },
    el('h2', {}, problem === 'bad-token' ? 'That token is not valid here' : 'This dashboard needs a token'),
    el('p', {}, 'Open the link you were given (it ends in ?token=...), or type the token:'),
    input,
    el('button', { type: 'submit' }, 'Open'),
  );
  container.replaceChildren(form);
}

/** Fills the nav's rights badge and the link to today's review. */
export function decorateHeader(me) {
  const badge = document.getElementById('rights');
  if (badge) {
    badge.textContent = me.rights === 'control' ? 'control' : me.rights === 'read' ? 'view only' : 'no access';
    badge.className = `badge rights-${me.rights}`;
  }
  const review = document.getElementById('nav-review');
  if (review) review.href = `/review.html?date=${today()}`;
}

export function showError(container, error) {
  container.replaceChildren(el('p', { class: 'error' }, error.message || String(error)));
}
