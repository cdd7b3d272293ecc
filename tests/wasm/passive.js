#!/usr/bin/env node
// passive.js MODULE [ARGS...]: for a packed module, what of its files' bytes
// is in linear memory before and after a run.  Reads pack's record (the
// custom section wasi-vfs.pack: version, segments, min, max+1, lo, length,
// slot, copy) and the slot's fend, instantiates the module, counts the
// non-zero bytes of [lo, fend) before _start and after it, and the 64 KiB
// pages of that range the run never touched.  Prints one line:
//   copy C files B bytes before N after M untouched P of Q pages exit E
//   linked B bytes before N after M
// (the second for the files of the module's linked images, moved to the
// same passive segment)
// with the program's own output (stdout) before it.  TABLE=N in the
// environment: the module imports its function table, given N entries.
'use strict';
process.removeAllListeners('warning');
const fs = require('node:fs');
const { WASI } = require('node:wasi');
const [, , prog, ...args] = process.argv;
const mod = new WebAssembly.Module(fs.readFileSync(prog));
const sec = WebAssembly.Module.customSections(mod, 'wasi-vfs.pack');
if (sec.length !== 1) { console.log('no wasi-vfs.pack record'); process.exit(1); }
const rec = new Uint32Array(sec[0].slice(0, 32));
const wasi = new WASI({ version: 'preview1', args: [prog, ...args], env: {}, preopens: {}, returnOnExit: true });
const raw = wasi.getImportObject().wasi_snapshot_preview1, imp = {};
for (const k of Object.keys(raw)) { const f = raw[k]; imp[k] = (...a) => f(...a); }
const env = process.env.TABLE ? { __indirect_function_table: new WebAssembly.Table({ initial: +process.env.TABLE, element: 'anyfunc' }) } : {};
const inst = new WebAssembly.Instance(mod, { wasi_snapshot_preview1: imp, env });
const mem = () => new Uint8Array(inst.exports.memory.buffer);
const lo = rec[4], slot = rec[6];
const dv = new DataView(inst.exports.memory.buffer);
const fend = dv.getUint32(slot + 48, true), blo = dv.getUint32(slot + 52, true), bhi = dv.getUint32(slot + 56, true);
const nonzero = (a, b) => { const m = mem(); let n = 0; for (let i = a; i < b; i++) n += m[i] !== 0; return n; };
const before = nonzero(lo, fend), lbefore = nonzero(blo, bhi);
const code = wasi.start(inst);
const after = nonzero(lo, fend), lafter = nonzero(blo, bhi), m = mem();
let pages = 0, untouched = 0;
for (let p = lo; p < fend; p += 65536, pages++) {
  let z = true;
  for (let i = p; i < Math.min(p + 65536, fend) && z; i++) z = m[i] === 0;
  untouched += z;
}
console.log(`copy ${rec[7]} files ${fend - lo} bytes before ${before} after ${after} untouched ${untouched} of ${pages} pages exit ${code}`);
console.log(`linked ${bhi - blo} bytes before ${lbefore} after ${lafter}`);
