// worker.js — one run of a WASI program for the page's terminal (term.js).
// It runs off the page's thread so that a read of stdin can block until the
// terminal has a line for it: the page writes the line into a
// SharedArrayBuffer and wakes this thread (Atomics.wait / Atomics.notify).
// Output goes back as messages; the exit code (or a trap) ends the run.
import { WASI, Fd, OpenFile, File, ConsoleStdout, wasi as defs } from './shim/index.js';

// stdin as a terminal: a character device (so isatty(0) is true and a REPL
// prompts) whose reads wait for what the page sends.  ctrl[0] is the number
// of bytes waiting in `data`, -1 for end of input (Ctrl-D), 0 for none yet.
class TtyIn extends Fd {
  constructor(sab) {
    super();
    this.ctrl = new Int32Array(sab, 0, 1);
    this.data = new Uint8Array(sab, 4);
    this.pending = new Uint8Array(0);
  }
  fd_fdstat_get() {
    const fdstat = new defs.Fdstat(defs.FILETYPE_CHARACTER_DEVICE, 0);
    fdstat.fs_rights_base = BigInt(defs.RIGHTS_FD_READ);
    return { ret: 0, fdstat };
  }
  fd_filestat_get() {
    return { ret: 0, filestat: new defs.Filestat(0n, defs.FILETYPE_CHARACTER_DEVICE, 0n) };
  }
  fd_read(size) {
    if (this.pending.length === 0) {
      while (Atomics.load(this.ctrl, 0) === 0) Atomics.wait(this.ctrl, 0, 0);
      const n = Atomics.load(this.ctrl, 0);
      this.pending = n > 0 ? this.data.slice(0, n) : new Uint8Array(0);
      Atomics.store(this.ctrl, 0, 0);
      Atomics.notify(this.ctrl, 0);
      if (n < 0) return { ret: 0, data: new Uint8Array(0) }; // one end of input per Ctrl-D
    }
    const out = this.pending.slice(0, size);
    this.pending = this.pending.subarray(out.length);
    return { ret: 0, data: out };
  }
}

onmessage = async ({ data: { module, argv, env, sab } }) => {
  // the bytes are a view of the program's memory: post a copy
  const out = new ConsoleStdout((bytes) => { const b = bytes.slice(); postMessage({ out: b }, [b.buffer]); });
  const stdin = sab ? new TtyIn(sab) : new OpenFile(new File([]));
  const wasi = new WASI(argv, env, [stdin, out, out], { debug: false });
  let code, trap;
  try {
    const inst = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: wasi.wasiImport });
    code = wasi.start(inst);
  } catch (e) {
    trap = String(e);
    code = -1;
  }
  postMessage({ exit: code, trap });
};
