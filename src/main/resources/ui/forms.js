// Forms generated from a connector's JSON-Schema spec. Secrets ("x-secret") are password fields that start empty:
// the API sends a secret back only masked, and an empty secret field keeps the stored value (the mask is sent back).
import { esc } from './app.js';

const MASK = '**********';

export function specForm(spec, values) {
  const required = new Set(spec.required || []);
  return Object.entries(spec.properties || {}).map(([key, p]) => {
    const id = 'cfg-' + key;
    const label = `<label class="form-label" for="${id}">${esc(p.title || key)}${required.has(key) ? ' <span aria-hidden="true">*</span>' : ''}</label>`;
    const help = p.description ? `<div class="form-text" id="${id}-help">${esc(p.description)}</div>` : '';
    const describedBy = p.description ? ` aria-describedby="${id}-help"` : '';
    const req = required.has(key) ? ' required' : '';
    const value = values[key] ?? '';
    const common = `id="${id}" data-key="${esc(key)}" data-type="${esc(p.type)}"${describedBy}${req}`;
    let input;
    if (p['x-secret']) {
      const stored = value === MASK;
      input = `<input class="form-control" type="password" autocomplete="new-password" ${common} data-secret="${stored}" placeholder="${stored ? '(unchanged)' : ''}">`;
    } else if (p.enum) {
      input = `<select class="form-select" ${common}><option value="">(default${p.default != null ? ': ' + esc(p.default) : ''})</option>${p.enum.map(o =>
        `<option ${String(o) === String(value) ? 'selected' : ''}>${esc(o)}</option>`).join('')}</select>`;
    } else if (p.type === 'boolean') {
      return `<div class="form-check mb-3"><input class="form-check-input" type="checkbox" ${common} ${value === true || (value === '' && p.default) ? 'checked' : ''}>
        <label class="form-check-label" for="${id}">${esc(p.title || key)}</label>${help}</div>`;
    } else if (p.type === 'integer' || p.type === 'number') {
      input = `<input class="form-control" type="number" ${common} value="${esc(value)}" placeholder="${p.default != null ? esc(p.default) : ''}"${p.minimum != null ? ` min="${p.minimum}"` : ''}${p.maximum != null ? ` max="${p.maximum}"` : ''}>`;
    } else {
      input = `<input class="form-control" type="text" ${common} value="${esc(typeof value === 'object' ? JSON.stringify(value) : value)}" placeholder="${p.default != null ? esc(p.default) : ''}">`;
    }
    return `<div class="mb-3">${label}${input}${help}</div>`;
  }).join('');
}

/** The config object of a generated form: empty fields are left out (the connector's default applies). */
export function readForm(root) {
  const config = {};
  root.querySelectorAll('[data-key]').forEach(el => {
    const key = el.dataset.key;
    if (el.type === 'checkbox') { config[key] = el.checked; return; }
    const v = el.value;
    if (el.dataset.secret === 'true' && v === '') { config[key] = MASK; return; }
    if (v === '') return;
    config[key] = el.dataset.type === 'integer' || el.dataset.type === 'number' ? Number(v) : v;
  });
  return config;
}
