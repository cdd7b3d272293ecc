// app.js — the demo page: run a packed .wasm with no files given to it: fds
// 0-2 only (an empty stdin, stdout, stderr), no preopens.  Every file the
// program reads is inside the .wasm.
import { run, render } from './run.js';

const $ = (id) => document.getElementById(id);

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
    render($('files'), listing.output);
  };
  const go = async () => {
    const d = current();
    $('status').textContent = 'running…';
    const t0 = performance.now();
    const { code, output } = await run(d, $('args').value);
    render($('out'), output);
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
