// bench-startup.mjs BIG.wasm EMPTY.wasm — time from the module's bytes to the
// end of main (compile + instantiate + _start, all in one), best of 7 runs,
// for a program with a large image and the same program with an empty one.
// The two alternate, after one unmeasured run of each: whichever ran first
// would otherwise also pay for the harness's own first runs (milliseconds,
// as much as a 5 MB image's whole start-up).
import fs from 'node:fs';
import { WASI } from 'node:wasi';
process.removeAllListeners('warning');

async function once(bytes) {
  const t = performance.now();
  const wasi = new WASI({ version: 'preview1', args: ['x'], env: {}, returnOnExit: true });
  const { instance } = await WebAssembly.instantiate(bytes, wasi.getImportObject());
  wasi.start(instance);
  return performance.now() - t;
}
const runs = [['big', process.argv[2]], ['empty', process.argv[3]]].map(([name, file]) =>
  ({ name, bytes: fs.readFileSync(file), best: Infinity }));
for (const r of runs) await once(r.bytes);
for (let i = 0; i < 7; i++)
  for (const r of runs) r.best = Math.min(r.best, await once(r.bytes));
for (const r of runs) console.log(`${r.name} ${r.best.toFixed(2)}`);
