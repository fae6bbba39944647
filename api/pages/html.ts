/**
 * HTML written safely: the `html` tagged template escapes every interpolated value unless it is already `Html`
 * (the result of another `html` template, or `raw()` of a trusted constant). Arrays are joined, and undefined, null
 * and false render as nothing, so that templates read as markup with conditions and lists inside.
 *
 *   html`<a href="${url}">${title}</a>`            // url and title escaped
 *   html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`
 */

/** A fragment of HTML that is already safe to send. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text escaped for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** A value that may go into a template. */
export type Part = Html | string | number | boolean | null | undefined | readonly Part[];

function render(value: Part): string {
  if (value === undefined || value === null || value === false) return '';
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return (value as readonly Part[]).map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}

/** Trusted markup taken as it is (constants of our own only, never a value from a request or a record). */
export function raw(text: string): Html {
  return new Html(text);
}

/**
 * JSON for a `<script type="application/json">` block: `<` is written \u003c so that no value can close the
 * script element or open a comment.
 */
export function jsonScript(id: string, value: unknown): Html {
  const json = JSON.stringify(value).replace(/</g, '\\u003c');
  return new Html(`<script type="application/json" id="${escapeHtml(id)}">${json}</script>`);
}

/** JSON-LD for machines reading the page (schema.org markup), `<` escaped so that no text ends the script. */
export function jsonLdScript(value: unknown): Html {
  return new Html(`<script type="application/ld+json">${JSON.stringify(value).replace(/</g, '\\u003c')}</script>`);
}

/** Only http(s) and mailto URLs become links; anything else (javascript:, data:...) is shown as text. */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return /^(https?:\/\/|mailto:)/i.test(url.trim()) ? url.trim() : undefined;
}
