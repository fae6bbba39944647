import { test } from 'uvu';
test('reports then hangs', () => { setInterval(() => {}, 1000); });
test.run();
