/**
 * The JSON text of a FAIR assessment, JSON.stringify's to the byte, made faster: a record's MQA indicators and F-UJI
 * metrics are shared, frozen objects, one per outcome (mqa.ts, fuji.ts), so the text of each is made the first time,
 * kept with it, and copied for every record that has the same. What the validation report's spool writes for each
 * record (pipelines/report/spool.ts). For plain data, as an assessment is: objects, arrays, strings, numbers, booleans.
 */

/** The JSON text of each frozen object met so far (kept as long as the object lives: the assessments' tables). */
const TEXT = new WeakMap<object, string>();

/** JSON.stringify(v) of plain data, the text of its frozen objects made once. */
export function fairJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Object.isFrozen(v)) {
    let text = TEXT.get(v);
    if (text === undefined) TEXT.set(v, (text = JSON.stringify(v)));
    return text;
  }
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) out += (i ? ',' : '') + (v[i] === undefined || typeof v[i] === 'function' ? 'null' : fairJson(v[i]));
    return out + ']';
  }
  let out = '{';
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const x = o[k];
    if (x === undefined || typeof x === 'function') continue;
    out += (out.length > 1 ? ',' : '') + JSON.stringify(k) + ':' + fairJson(x);
  }
  return out + '}';
}
