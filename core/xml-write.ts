/**
 * Writing XML text: escaping for element content and attribute values. Characters that XML 1.0 forbids (C0 controls
 * other than tab, newline and carriage return, lone surrogates, U+FFFE/U+FFFF) are dropped rather than escaped, since
 * no escape makes them legal: a record carrying one stays readable instead of breaking the whole response.
 */

const ILLEGAL =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const SPECIAL = /[&<>"']/g;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text safe in element content and in a double- or single-quoted attribute value. */
export function escapeXml(text: string): string {
  return text.replace(ILLEGAL, '').replace(SPECIAL, (c) => ENTITY[c]);
}
