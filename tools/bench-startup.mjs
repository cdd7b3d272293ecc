// bench-startup.mjs BIG.wasm EMPTY.wasm — time from the module's bytes to the
// end of main (compile + instantiate + _start, all in one), best of 7 runs,
// for a program with a large image and the same program with an empty one.
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
for (const [name, file] of [['big', process.argv[2]], ['empty', process.argv[3]]]) {
  const bytes = fs.readFileSync(file);
  let best = Infinity;
  for (let i = 0; i < 7; i++) best = Math.min(best, await once(bytes));
  console.log(`${name} ${best.toFixed(2)}`);
}
