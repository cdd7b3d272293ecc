// run.mjs — the browser test (make test-browser): serve build/web on loopback,
// drive Debian's headless Chromium through playwright-core, run every demo the
// way a person would (pick it, edit the arguments, press Run) and require the
// exact text that the same .wasm prints under node:wasi with no host directory.
// The pack page packs a folder into an interpreter with the generator built as
// WebAssembly: the command line's bytes, the same output.  Also: the page made
// no request but for its own files; screenshots are saved as build/browser.png
// and build/pack-page.png.  Last line: "browser: N passed, N failed".
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from '../../web/node_modules/playwright-core/index.mjs';
import { serve } from '../../tools/serve.mjs';
import { splitArgs } from '../../web/args.js';

const BUILD = process.env.BUILD || 'build';
const WEB = path.join(BUILD, 'web');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
let passed = 0, failed = 0;
const check = (ok, what, detail = '') => {
  if (ok) { passed++; console.log(`ok   ${what}`); }
  else { failed++; console.log(`FAIL ${what}${detail ? `\n${detail}` : ''}`); }
};

// The text a terminal shows: escape sequences are drawn, not printed.
const shown = (s) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');

// What node:wasi prints for the same program and arguments (the oracle).
// stdout and stderr together, as the page shows them; the page's environment.
function oracle(wasm, args) {
  const argv = ['--env', 'LANG=C.UTF-8', '--env', 'HOME=/tmp', wasm, ...splitArgs(args)];
  const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  try {
    return { code: 0, out: shown(execFileSync('sh', ['-c', `tools/wasi-run ${quoted} 2>&1`], { encoding: 'utf8' })) };
  } catch (e) {
    return { code: e.status, out: shown(e.stdout) };
  }
}

const server = await serve(WEB, 0);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const requests = [];
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 680 } });
  page.on('request', (r) => requests.push(r.url()));
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${origin}/`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });

  const demos = JSON.parse(fs.readFileSync(path.join(WEB, 'demos.json'), 'utf8'));
  check(demos.filter((d) => d.report).length >= 4 && demos.some((d) => d.library),
    'the demos carry their images\' reports', JSON.stringify(demos.map((d) => [d.id, d.report, d.library])));
  const cases = [];
  for (const d of demos) cases.push({ demo: d, args: d.args });
  cases.push({ demo: demos[0], args: 'cat /src/missing.txt' });
  const lua = demos.find((d) => d.id === 'packed-lua');
  const colours = `-e "io.write('\\27[1;32mgreen\\27[0m and \\27[31mred\\27[0m\\n')"`;
  if (lua) cases.push({ demo: lua, args: colours });
  cases.push({ demo: demos[0], args: 'write /src/new.txt hello ; mv /src/new.txt /src/moved.txt ; mv /src/moved.txt /tmp/x ; mkdir /src/d ; tree /src ; cat /src/moved.txt' });

  for (const { demo, args } of cases) {
    await page.selectOption('#demo', demo.id);
    await page.waitForFunction((id) => document.getElementById('about').textContent !== '' &&
      document.getElementById('status').textContent.startsWith('exit code'), demo.id);
    const want = oracle(path.join(WEB, demo.wasm), args);
    await page.fill('#args', args);
    await page.evaluate(() => { document.getElementById('status').textContent = ''; });
    await page.click('#run');
    await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('exit code'));
    const { output } = await page.evaluate(() => window.lastRun);
    const status = await page.textContent('#status');
    check(shown(output) === want.out && status.startsWith(`exit code ${want.code} `),
      `${demo.id} ${args}: same output and exit code (${want.code}) as node:wasi`,
      `--- browser (${status})\n${output}\n--- node:wasi (exit ${want.code})\n${want.out}`);
    // the terminal shows it: its rows are the output's lines (trailing blanks aside)
    const rows = await page.evaluate(() => window.pageConsole.text());
    const tabs = (l) => l.replace(/[^\t]*\t/g, (m) => m.slice(0, -1).padEnd((Math.floor((m.length - 1) / 8) + 1) * 8));
    const lines = want.out.split('\n').map((l) => tabs(l).trimEnd()).join('\n').replace(/\n+$/, '');
    check(rows === lines, `${demo.id} ${args}: the terminal shows the output`, `--- terminal\n${rows}\n--- want\n${lines}`);
    // the page links the image's report (and the interpreter's library's), each a treemap page
    for (const k of ['report', 'library']) {
      const href = await page.$eval(`#reports a.report-${k}`, (a) => a.getAttribute('href')).catch(() => null);
      const text = href && await page.evaluate(async (u) => (await fetch(u)).text(), href);
      check(href === (demo[k] ?? null) && (!href || text.includes("Where the image's bytes go")),
        `${demo.id}: ${k === 'report' ? "its image's" : "its library's"} report ${href ? 'is linked' : 'is absent, as it has none'}`,
        `${href} vs ${demo[k]}`);
    }
    const files = await page.textContent('#files');
    check(files === oracle(path.join(WEB, demo.wasm), demo.list).out && files.length > 0,
      `${demo.id}: the file listing comes from the program itself`);
    if (args === colours) {
      // xterm's own cells: the colour (palette index: 2 green, 1 red) and weight of each word
      const cells = await page.evaluate(() => {
        const line = window.pageConsole.term.buffer.active.getLine(0);
        return [0, 6, 10].map((x) => { const c = line.getCell(x);
          return [c.getChars(), c.isFgPalette() ? c.getFgColor() : 'default', c.isBold() ? 'bold' : ''] });
      });
      check(JSON.stringify(cells) === JSON.stringify([['g', 2, 'bold'], ['a', 'default', ''], ['r', 1, '']]),
        'ANSI colours are drawn by the terminal: green bold, default, red', JSON.stringify(cells));
      await page.screenshot({ path: path.join(BUILD, 'terminal.png'), fullPage: false });
    }
    if (demo.id === demos[0].id && args === demo.args)
      await page.screenshot({ path: path.join(BUILD, 'browser.png'), fullPage: false });
  }
  // A REPL typed into: the page's terminal gives stdin a line at a time
  // (a Worker blocked on a SharedArrayBuffer); Ctrl-D ends the input.
  check(await page.evaluate(() => globalThis.crossOriginIsolated), 'the page is cross-origin isolated (COOP/COEP)');
  const repls = [{ id: 'python', type: 'print(6*7)', want: '>>> print(6*7)\n42\n>>>' },
                 { id: 'lua', type: 'print(6*7)', want: '> print(6*7)\n42\n>' },
                 { id: 'sqlite', type: 'select 6*7;', want: 'sqlite> select 6*7;\n42\nsqlite>' }];
  for (const r of repls) {
    if (!demos.some((d) => d.id === r.id)) { check(false, `${r.id} REPL: the demo is not on the page`); continue; }
    await page.selectOption('#demo', r.id);
    await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('exit code'));
    await page.fill('#args', '');
    await page.click('#run');
    await page.waitForFunction((p) => window.pageConsole.text().endsWith(p), r.want.split('\n').pop(), { timeout: 30000 })
      .catch(() => {});
    await page.click('#term');
    await page.keyboard.type(r.type);
    await page.keyboard.press('Enter');
    let shownText = '';
    try {
      await page.waitForFunction((w) => window.pageConsole.text().includes(w), r.want, { timeout: 20000 });
    } catch { /* reported below */ }
    shownText = await page.evaluate(() => window.pageConsole.text());
    check(shownText.includes(r.want), `${r.id} REPL: typing ${r.type} prints 42`, shownText);
    await page.keyboard.press('Control+D');
    await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('exit code'), null, { timeout: 20000 })
      .catch(() => {});
    const st = await page.textContent('#status');
    check(st.startsWith('exit code 0 '), `${r.id} REPL: Ctrl-D ends it with exit code 0`, st);
  }
  // The pack page: the generator, as WebAssembly, packs a folder given to the
  // file input into an interpreter.  The download must be the bytes the
  // command-line generator writes for the same folder (SOURCE_DATE_EPOCH=0:
  // the page has no file times), and the packed program must print in the page
  // what it prints under node:wasi.
  const bases = JSON.parse(fs.readFileSync(path.join(WEB, 'interp.json'), 'utf8'));
  const packs = [{ id: 'lua', folder: 'interp/lua/lua', args: '/lua/test/main.lua' },
                 { id: 'python', folder: 'examples/pyapp', args: '/src/main.py' }];
  check(packs.every((c) => bases.some((b) => b.id === c.id)), 'the pack page offers lua and python',
    JSON.stringify(bases.map((b) => b.id)));
  await page.goto(`${origin}/pack.html`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
  for (const c of packs.filter((c) => bases.some((b) => b.id === c.id))) {
    const base = bases.find((b) => b.id === c.id);
    await page.selectOption('#base', c.id);
    await page.setInputFiles('#folder', c.folder);
    await page.click('#pack');
    await page.waitForFunction(() => /^(packed|pack failed|error)/.test(document.getElementById('status').textContent),
      null, { timeout: 120000 });
    const status = await page.textContent('#status');
    if (!status.startsWith('packed')) {
      check(false, `pack page: ${c.folder} into ${c.id}`, `${status}\n${await page.textContent('#log')}`);
      continue;
    }
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const got = path.join(BUILD, `web-pack-${c.id}.wasm`), want = path.join(BUILD, `cli-pack-${c.id}.wasm`);
    await download.saveAs(got);
    execFileSync(path.join(BUILD, 'bin/wasivfs-gen'), ['pack', path.join(WEB, base.wasm), '--mapdir',
      `${base.mount}::${c.folder}`, '--tmpdir', '/tmp', '-o', want], { env: { ...process.env, SOURCE_DATE_EPOCH: '0' } });
    const a = fs.readFileSync(got), b = fs.readFileSync(want);
    check(a.length > 0 && a.equals(b), `pack page: ${c.folder} into ${c.id}: the command line's bytes (${a.length})`,
      `${status}\n${await page.textContent('#log')}`);
    const oracleOut = oracle(want, c.args);
    await page.fill('#args', c.args);
    await page.click('#run');
    await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('exit code'));
    const out = await page.textContent('#out');
    check(out === oracleOut.out && oracleOut.out.length > 0 &&
          (await page.textContent('#status')).startsWith(`exit code ${oracleOut.code} `),
      `pack page: the packed ${c.id} runs in the page as under node:wasi`,
      `--- browser\n${out}\n--- node:wasi\n${oracleOut.out}`);
    if (c.id === 'python') await page.screenshot({ path: path.join(BUILD, 'pack-page.png'), fullPage: true });
  }
  // --report-html's page: a box per row of --report-json that stores bytes,
  // each of area in proportion to its stored bytes
  const report = JSON.parse(fs.readFileSync(path.join(WEB, 'report.json'), 'utf8'));
  await page.goto(`${origin}/report.html`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 10000 });
  const boxes = await page.$$eval('.box', (l) => l.map((b) => ({ path: b.dataset.path, stored: +b.dataset.stored,
    area: parseFloat(b.style.width) * parseFloat(b.style.height) })));
  const want = report.rows.filter((r) => r.stored > 0);
  const perByte = boxes.length ? boxes[0].area / boxes[0].stored : 0;
  check(boxes.length === want.length && want.length > 3 &&
        want.every((r, i) => boxes[i].path === r.path && boxes[i].stored === r.stored) &&
        boxes.every((b) => Math.abs(b.area - b.stored * perByte) <= 1e-3 * b.area + 1e-3),
    `--report-html draws each of the ${want.length} rows of --report-json, area by stored bytes`,
    JSON.stringify(boxes.slice(0, 5)));
  // a slim image's page also draws the full tree by raw bytes: a blue box per
  // row for what was kept, a grey one for what --keep left out
  const slim = JSON.parse(fs.readFileSync(path.join(WEB, 'report-slim.json'), 'utf8'));
  await page.goto(`${origin}/report-slim.html`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 10000 });
  const fboxes = await page.$$eval('.fbox', (l) => l.map((b) => ({ path: b.dataset.path, raw: +b.dataset.raw,
    kept: b.dataset.kept === 'true', area: parseFloat(b.style.width) * parseFloat(b.style.height) })));
  const sum = (l, f) => l.reduce((a, x) => a + f(x), 0);
  const perRaw = fboxes.length ? fboxes[0].area / fboxes[0].raw : 0;
  check(slim.slim === true && sum(slim.rows, (r) => r.dropped_raw) > 0 &&
        sum(fboxes.filter((b) => b.kept), (b) => b.raw) === sum(slim.rows, (r) => r.raw) &&
        sum(fboxes.filter((b) => !b.kept), (b) => b.raw) === sum(slim.rows, (r) => r.dropped_raw) &&
        fboxes.every((b) => Math.abs(b.area - b.raw * perRaw) <= 1e-3 * b.area + 1e-3),
    `--report-html of a slim image draws kept against left out (${fboxes.length} boxes), area by raw bytes`,
    JSON.stringify(fboxes.slice(0, 6)));
  check(errors.length === 0, 'no page errors', errors.join('\n'));
  const foreign = requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith(`blob:${origin}/`));
  check(foreign.length === 0 && requests.length > 0,
    `only the page's own files were requested (${requests.length} requests)`, foreign.join('\n'));
  const wasmFetched = requests.filter((u) => u.includes('/demos/') && u.endsWith('.wasm')).length;
  check(wasmFetched === demos.length, `each .wasm fetched once (${wasmFetched})`);
} finally {
  await browser.close();
  server.close();
}
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
