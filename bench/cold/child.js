// One cold start in a fresh process: import the handler module, start() it (load the bundle, or
// init supertokens-node), then the first request (for an authorizer: the first decision). Prints the three spans as JSON: wall time, and
// the process's CPU time (all threads), which a busy machine inflates far less than wall time.
//   node bench/cold/child.js MODULE EVENT_FILE
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [modulePath, eventFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const c0 = cpu();
const t0 = performance.now();
const mod = await import(pathToFileURL(modulePath).href);
const t1 = performance.now();
const c1 = cpu();
await mod.start();
const t2 = performance.now();
const c2 = cpu();
const response = await mod.handler(event, { awsRequestId: 'bench', getRemainingTimeInMillis: () => 3000 });
const t3 = performance.now();
const c3 = cpu();
// A handler's 200, or an authorizer's allow (simple response).
if (response.statusCode !== 200 && response.isAuthorized !== true) {
  process.stderr.write(`cold start ${modulePath}: expected 200, got ${JSON.stringify(response)}\n`);
  process.exit(1);
}
process.stdout.write(
  JSON.stringify({ importMs: t1 - t0, loadMs: t2 - t1, firstMs: t3 - t2, importCpuMs: c1 - c0, loadCpuMs: c2 - c1, firstCpuMs: c3 - c2 }),
);
