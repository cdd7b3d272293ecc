// run.js — run a WASI program in the page with @bjorn3/browser_wasi_shim,
// and draw what it printed as a terminal would.  Shared by the demo page
// (app.js) and the pack page (pack.js).
import { WASI, OpenFile, File, ConsoleStdout } from './shim/index.js';
import { splitArgs } from './args.js';

const modules = new Map(); // url -> Promise of its compiled WebAssembly.Module
// The environment every demo gets (the browser test gives node:wasi the same).
export const ENV = ['LANG=C.UTF-8', 'HOME=/tmp'];

// The compiled module at `url`, compiled once: a run started while it still
// compiles shares the promise.
export function compiled(url) {
  if (!modules.has(url)) modules.set(url, WebAssembly.compileStreaming(fetch(url)));
  return modules.get(url);
}

// Run `demo` with `args` (split as a shell would, quotes group); returns { code, output }.
export async function run(demo, args) {
  return start(await compiled(demo.wasm), [demo.id, ...splitArgs(args)]);
}

// Start a compiled command module with argv, fds 0-2 only (an empty stdin,
// stdout and stderr to one text) unless `preopens` adds directories after
// them; returns { code, output }.
export async function start(module, argv, preopens = []) {
  let output = '';
  const dec = new TextDecoder('utf-8');
  const sink = (bytes) => { output += dec.decode(bytes, { stream: true }); };
  const fds = [new OpenFile(new File([])), new ConsoleStdout(sink), new ConsoleStdout(sink), ...preopens];
  const wasi = new WASI(argv, ENV, fds, { debug: false });
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

// A terminal's colours: ANSI SGR sequences (ESC [ n;n m) become spans, any
// other escape sequence is dropped, so the text is what a terminal shows.
const SGR = /\x1b\[([0-9;]*)([A-Za-z])/g;
export function render(el, text) {
  el.textContent = '';
  let style = {};
  let at = 0;
  const put = (s) => {
    if (s === '') return;
    if (!style.fg && !style.bold && !style.under) { el.append(s); return; }
    const span = document.createElement('span');
    span.textContent = s;
    if (style.fg) span.className = `ansi-${style.fg}`;
    if (style.bold) span.style.fontWeight = 'bold';
    if (style.under) span.style.textDecoration = 'underline';
    el.append(span);
  };
  for (const m of text.matchAll(SGR)) {
    put(text.slice(at, m.index));
    at = m.index + m[0].length;
    if (m[2] !== 'm') continue;
    for (const n of (m[1] || '0').split(';').map(Number)) {
      if (n === 0) style = {};
      else if (n === 1) style.bold = true;
      else if (n === 4) style.under = true;
      else if (n === 22) style.bold = false;
      else if (n === 24) style.under = false;
      else if (n === 39) style.fg = undefined;
      else if ((n >= 30 && n <= 37) || (n >= 90 && n <= 97)) style.fg = n;
    }
  }
  put(text.slice(at));
}

