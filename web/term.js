// term.js — the page's terminal: @xterm/xterm draws what a program prints
// (colours, cursor movement, wide characters), and what is typed goes to the
// program's stdin a line at a time, echoed and editable as in a cooked tty
// (Backspace; Enter sends the line; Ctrl-D ends input; Ctrl-C stops the run).
// The program runs in worker.js; a read of stdin blocks there on a
// SharedArrayBuffer, which needs the page cross-origin isolated (make serve
// sends COOP/COEP).  Without that, stdin is empty, as for a one-shot run.
import { Terminal } from './xterm/xterm.mjs';
import { ENV } from './run.js';

const CAP = 65536; // bytes of input handed over at once

export class Console {
  constructor(el) {
    this.term = new Terminal({ convertEol: true, cols: 100, rows: 20, scrollback: 5000,
      fontFamily: 'ui-monospace, monospace', fontSize: 13,
      theme: { background: '#f5f5f0', foreground: '#222222', cursor: '#555555',
               selectionBackground: '#c8d8f0' } });
    this.term.open(el);
    this.term.onData((d) => this.typed(d));
    this.worker = null;
  }

  // Run a compiled module with argv; resolves to { code, output } when it exits.
  run(module, argv) {
    if (this.worker) this.finish(130, '');
    this.term.reset();
    this.line = '';
    this.queue = [];
    const sab = globalThis.crossOriginIsolated ? new SharedArrayBuffer(4 + CAP) : null;
    this.ctrl = sab && new Int32Array(sab, 0, 1);
    this.data = sab && new Uint8Array(sab, 4);
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    this.worker = worker;
    let output = '';
    const dec = new TextDecoder('utf-8');
    return new Promise((resolve) => {
      this.finish = (code, note) => {
        if (this.worker !== worker) return;
        this.worker = null;
        worker.terminate();
        output += dec.decode();
        output += note;
        // resolved once the terminal has drawn everything (xterm parses writes later)
        this.term.write(note, () => resolve({ code, output }));
      };
      worker.onmessage = ({ data }) => {
        if (data.out) {
          output += dec.decode(data.out, { stream: true });
          this.term.write(data.out);
        } else {
          this.finish(data.exit, data.trap ? `[trap: ${data.trap}]\n` : '');
        }
      };
      worker.onerror = (e) => this.finish(-1, `[error: ${e.message}]\n`);
      worker.postMessage({ module, argv, env: ENV, sab });
    });
  }

  stop() {
    if (this.worker) this.finish(130, '^C\n');
  }

  // A cooked tty's line discipline, on the page's side.
  typed(d) {
    if (!this.worker) return;
    for (const ch of d) {
      if (ch === '\r') { this.term.write('\r\n'); this.send(this.line + '\n'); this.line = ''; }
      else if (ch === '\x7f' || ch === '\b') {
        if (this.line) { this.line = [...this.line].slice(0, -1).join(''); this.term.write('\b \b'); }
      } else if (ch === '\x04') { if (this.line) { this.send(this.line); this.line = ''; } else this.send(null); }
      else if (ch === '\x03') { this.stop(); return; }
      else if (ch >= ' ' || ch === '\t') { this.line += ch; this.term.write(ch); }
    }
  }

  // Hand `text` (null: end of input) to the program when it has taken the last.
  send(text) {
    if (!this.ctrl) return;
    const enc = new TextEncoder();
    if (text === null) this.queue.push(null);
    else for (let b = enc.encode(text); b.length; b = b.subarray(CAP)) this.queue.push(b.slice(0, CAP));
    this.feed();
  }

  feed() {
    if (!this.worker || this.queue.length === 0) return;
    if (Atomics.load(this.ctrl, 0) !== 0) { setTimeout(() => this.feed(), 5); return; }
    const next = this.queue.shift();
    if (next === null) Atomics.store(this.ctrl, 0, -1);
    else { this.data.set(next); Atomics.store(this.ctrl, 0, next.length); }
    Atomics.notify(this.ctrl, 0);
    if (this.queue.length) setTimeout(() => this.feed(), 5);
  }

  // What the terminal shows: rows that wrapped joined again, blanks at the end
  // of each line and blank lines at the end dropped.
  text() {
    const buf = this.term.buffer.active, rows = [];
    for (let i = 0; i < buf.length; i++) {
      const l = buf.getLine(i);
      const s = l.translateToString();
      if (l.isWrapped && rows.length) rows[rows.length - 1] += s; else rows.push(s);
    }
    for (let i = 0; i < rows.length; i++) rows[i] = rows[i].trimEnd();
    while (rows.length && rows[rows.length - 1] === '') rows.pop();
    return rows.join('\n');
  }
}
