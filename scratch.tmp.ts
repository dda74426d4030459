import { createTestApp } from './test/helpers/app.js';
const { app } = createTestApp();
for (const accept of ['application/json', 'application/graphql-response+json']) {
  const q = `{ ${Array.from({length: 31}, (_, i) => `s${i}: _service { sdl }`).join(' ')} }`;
  const r = await app.fetch('http://app/graphql', { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify({ query: q }) });
  console.log(r.status, (await r.text()).slice(0, 300));
  const q2 = `{ softwareByIds(ids: [${Array.from({length: 2100}, (_, i) => `"x${i}"`).join(',')}]) { id } }`;
  const r2 = await app.fetch('http://app/graphql', { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify({ query: q2 }) });
  console.log(r2.status, (await r2.text()).slice(0, 300));
}
