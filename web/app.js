// app.js — the demo page: run a packed .wasm with no files given to it: fds
// 0-2 only (a terminal's stdin, stdout, stderr), no preopens.  Every file the
// program reads is inside the .wasm.  The run is drawn in a terminal
// (term.js); a program that reads stdin, a REPL, is typed into.
import { run, render, compiled } from './run.js';
import { splitArgs } from './args.js';
import { Console } from './term.js';

const $ = (id) => document.getElementById(id);

async function main() {
  const demos = await (await fetch('demos.json')).json();
  const pick = $('demo');
  for (const d of demos) pick.add(new Option(d.title, d.id));
  const current = () => demos.find((d) => d.id === pick.value);
  const show = async () => {
    const d = current();
    $('about').textContent = d.about;
    // where the bytes of the image it runs go (--report-html), and of the interpreter's own
    $('reports').replaceChildren(...[['report', 'where its image\'s bytes go'], ['library', 'the interpreter\'s library']]
      .filter(([k]) => d[k]).map(([k, text]) => Object.assign(document.createElement('a'),
        { href: d[k], textContent: text, target: '_blank', className: `report-${k}` })));
    $('args').value = d.args;
    const listing = await run(d, d.list);
    render($('files'), listing.output);
  };
  const cons = new Console($('term'));
  window.pageConsole = cons; // the browser test reads what it shows
  let runs = 0; // a run ended by the next one does not report over it
  const go = async () => {
    const mine = ++runs;
    const d = current();
    $('status').textContent = 'running… (type into the terminal if it reads input; Ctrl-D ends it, Ctrl-C stops it)';
    $('status').className = '';
    const t0 = performance.now();
    const argv = [d.id, ...splitArgs($('args').value)];
    const pending = cons.run(await compiled(d.wasm), argv);
    cons.term.focus();
    const { code, output } = await pending;
    if (mine !== runs) return;
    window.lastRun = { code, output };
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
