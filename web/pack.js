// pack.js — the pack page: wasivfs-gen itself, built for wasm32-wasi, packs a
// folder the user picks into a prebuilt interpreter, in the page.  The shim's
// in-memory directories stand in for the command line's: /in holds the
// interpreter and the folder, /out receives the packed file.  Nothing is
// uploaded; the same generator and arguments give the same bytes as
// `wasivfs-gen pack` on a machine (a page has no file times: every mtime is 0,
// as SOURCE_DATE_EPOCH=0 makes it there).
import { File, Directory, PreopenDirectory } from './shim/index.js';
import { start, render } from './run.js';
import { splitArgs } from './args.js';

const $ = (id) => document.getElementById(id);

// The shim grants every right but reports none, so libc's access() (which
// checks a preopen's rights) would say EACCES: report what it grants.
const ALL_RIGHTS = (1n << 30n) - 1n;
class Preopen extends PreopenDirectory {
  fd_fdstat_get() {
    const r = super.fd_fdstat_get();
    r.fdstat.fs_rights_base = r.fdstat.fs_rights_inherited = ALL_RIGHTS;
    return r;
  }
}

// files: [{ path: 'a/b.txt', bytes: Uint8Array }] -> a shim Directory tree
function tree(files) {
  const root = new Map();
  for (const { path, bytes } of files) {
    const parts = path.split('/').filter((p) => p !== '' && p !== '.');
    let dir = root;
    for (const p of parts.slice(0, -1)) {
      if (!dir.has(p)) dir.set(p, new Directory(new Map()));
      dir = dir.get(p).contents;
    }
    dir.set(parts[parts.length - 1], new File(bytes, { readonly: true }));
  }
  return new Directory(root);
}

// Pack `files` at guest path `mount` into the interpreter `base` (bytes) with
// the generator `gen` (a compiled module); returns { code, log, bytes }.
export async function pack(gen, base, files, mount) {
  const input = new Preopen('/in', new Map([
    ['base.wasm', new File(base, { readonly: true })],
    ['app', tree(files)],
  ]));
  const output = new Preopen('/out', new Map());
  const argv = ['wasivfs-gen', 'pack', '/in/base.wasm', '--mapdir', `${mount}::/in/app`,
                '--tmpdir', '/tmp', '--report', '1', '-o', '/out/app.wasm'];
  const { code, output: log } = await start(gen, argv, [input, output]);
  const made = output.dir.contents.get('app.wasm');
  return { code, log, bytes: code === 0 && made ? made.data : null };
}

// The folder a file input gave: each file's path below the folder picked.
async function picked(input) {
  return Promise.all([...input.files].map(async (f) => ({
    path: f.webkitRelativePath.split('/').slice(1).join('/') || f.name,
    bytes: new Uint8Array(await f.arrayBuffer()),
  })));
}

async function main() {
  const bases = await (await fetch('interp.json')).json();
  const gen = WebAssembly.compileStreaming(fetch('gen/wasivfs-gen.wasm'));
  const pick = $('base');
  for (const b of bases) pick.add(new Option(b.title, b.id));
  const base = () => bases.find((b) => b.id === pick.value);
  const chose = () => { $('mount').value = base().mount; $('args').value = base().args; };
  pick.addEventListener('change', chose);
  if (bases.length === 0) {
    $('status').textContent = 'no interpreter has been built: run make python (ruby, sqlite, lua) and make web';
    return;
  }
  chose();
  let packed = null; // { module, url }
  $('pack').addEventListener('click', async () => {
    const b = base();
    $('status').className = '';
    $('status').textContent = 'packing…';
    $('run').disabled = true;
    $('download').hidden = true;
    const t0 = performance.now();
    const files = await picked($('folder'));
    const bytes = new Uint8Array(await (await fetch(b.wasm)).arrayBuffer());
    const r = await pack(await gen, bytes, files, $('mount').value);
    render($('log'), r.log);
    if (!r.bytes) {
      $('status').textContent = `pack failed (exit code ${r.code})`;
      $('status').className = 'err';
      return;
    }
    if (packed) URL.revokeObjectURL(packed.url);
    packed = { module: await WebAssembly.compile(r.bytes),
               url: URL.createObjectURL(new Blob([r.bytes], { type: 'application/wasm' })) };
    $('download').href = packed.url;
    $('download').download = `${b.id}-app.wasm`;
    $('download').hidden = false;
    $('run').disabled = false;
    $('status').textContent = `packed ${files.length} files: ${r.bytes.length} bytes in ` +
      `${(performance.now() - t0).toFixed(0)} ms`;
  });
  const go = async () => {
    $('status').textContent = 'running…';
    const t0 = performance.now();
    const { code, output } = await start(packed.module, [base().id, ...splitArgs($('args').value)]);
    render($('out'), output);
    $('status').textContent = `exit code ${code} · ${(performance.now() - t0).toFixed(1)} ms`;
    $('status').className = code === 0 ? '' : 'err';
  };
  $('run').addEventListener('click', go);
  $('args').addEventListener('keydown', (e) => { if (e.key === 'Enter' && packed) go(); });
  document.body.dataset.ready = '1';
}

main().catch((e) => { $('status').textContent = `error: ${e}`; $('status').className = 'err'; });
