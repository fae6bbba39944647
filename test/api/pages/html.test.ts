/** The html template: every value escaped unless it is already Html; lists, conditions, script JSON, link schemes. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { escapeHtml, html, jsonScript, raw, safeUrl } from '../../../api/pages/html.js';

// (called through another name, so that prettier leaves the markup of these expectations as written)
const h = html;

test('values are escaped, Html fragments are not, arrays are joined, false/null/undefined are nothing', () => {
  const evil = `<img src=x onerror="alert('x')">&`;
  assert.is(h`<p title="${evil}">${evil}</p>`.text, `<p title="${escapeHtml(evil)}">${escapeHtml(evil)}</p>`);
  assert.is(escapeHtml(evil), '&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;');
  assert.is(h`<ul>${['a<', 'b'].map((x) => h`<li>${x}</li>`)}</ul>`.text, '<ul><li>a&lt;</li><li>b</li></ul>');
  assert.is(h`${false}${null}${undefined}${0}${'x'}`.text, '0x');
  assert.is(h`${raw('<br>')}`.text, '<br>');
});

test('JSON in a script block cannot close the element', () => {
  const out = jsonScript('data', { title: '</script><script>alert(1)</script>' }).text;
  assert.not.match(out.slice(0, -'</script>'.length), /<\/script>/);
  const json = /^<script type="application\/json" id="data">(.*)<\/script>$/.exec(out)![1];
  assert.equal(JSON.parse(json), { title: '</script><script>alert(1)</script>' });
});

test('only http(s) and mailto URLs become links', () => {
  assert.is(safeUrl('https://example.org/a'), 'https://example.org/a');
  assert.is(safeUrl(' mailto:a@b.fr '), 'mailto:a@b.fr');
  for (const bad of ['javascript:alert(1)', 'JAVASCRIPT:x', 'data:text/html,x', 'vbscript:x', 'ftp://x', '/relative', undefined])
    assert.is(safeUrl(bad), undefined, String(bad));
});

test.run();
