// app.js — run a packed .wasm in the page with @bjorn3/browser_wasi_shim and
// no files given to it: fds 0-2 only (an empty stdin, stdout, stderr), no
// preopens.  Every file the program reads is inside the .wasm.
import { WASI, OpenFile, File, ConsoleStdout } from './shim/index.js';
import { splitArgs } from './args.js';

const $ = (id) => document.getElementById(id);
const modules = new Map(); // url -> Promise of its compiled WebAssembly.Module
// The environment every demo gets (the browser test gives node:wasi the same).
export const ENV = ['LANG=C.UTF-8', 'HOME=/tmp'];

// Run `demo` with `args` (split as a shell would, quotes group); returns { code, output }.
export async function run(demo, args) {
  // Keep the promise, so a run started while the module still compiles shares it.
  if (!modules.has(demo.wasm))
    modules.set(demo.wasm, WebAssembly.compileStreaming(fetch(demo.wasm)));
  const module = await modules.get(demo.wasm);
  let output = '';
  const dec = new TextDecoder('utf-8');
  const sink = (bytes) => { output += dec.decode(bytes, { stream: true }); };
  const fds = [new OpenFile(new File([])), new ConsoleStdout(sink), new ConsoleStdout(sink)];
  const argv = [demo.id, ...splitArgs(args)];
  const wasi = new WASI(argv, ENV, fds);
  const inst = await WebAssembly.instantiate(module, {
    wasi_snapshot_preview1: wasi.wasiImport,
  });
  let code;
  try {
    code = wasi.start(inst);
  } catch (e) {
    output += `[trap: ${e}]\n`;
    code = -1;
  }
  output += dec.decode();
  return { code, output };
}

async function main() {
  const demos = await (await fetch('demos.json')).json();
  const pick = $('demo');
  for (const d of demos) pick.add(new Option(d.title, d.id));
  const current = () => demos.find((d) => d.id === pick.value);
  const show = async () => {
    const d = current();
    $('about').textContent = d.about;
    $('args').value = d.args;
    const listing = await run(d, d.list);
    $('files').textContent = listing.output;
  };
  const go = async () => {
    const d = current();
    $('status').textContent = 'running…';
    const t0 = performance.now();
    const { code, output } = await run(d, $('args').value);
    $('out').textContent = output;
    $('status').textContent = `exit code ${code} · ${(performance.now() - t0).toFixed(1)} ms`;
    $('status').className = code === 0 ? '' : 'err';
  };
  pick.addEventListener('change', () => show().then(go));
  $('run').addEventListener('click', go);
  $('args').addEventListener('keydown', (e) => { if (e.key === 'Enter') go(); });
  await show();
  await go();
  document.body.dataset.ready = '1';
}

main().catch((e) => { $('status').textContent = `error: ${e}`; $('status').className = 'err'; });
