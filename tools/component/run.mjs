// run.mjs — run a transpiled WASI 0.2 command component on node through
// @bytecodealliance/preview2-shim, as tools/wasi-run runs a module: no
// preopened directories, argv[0] as given, and an environment of the K=V lines
// in WVFS_COMPONENT_ENV alone (wasi-component-run's --env flags).
//   node run.mjs DIR/NAME.js ARGV0 [args...]
// The component's exit status: 0, or 1 for any failure (WASI 0.2's exit takes
// ok or err only, so the adapter turns every non-zero status into err).
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { _setArgs, _setEnv, _setCwd } from '@bytecodealliance/preview2-shim/cli';
import { _setPreopens } from '@bytecodealliance/preview2-shim/filesystem';

const [js, argv0, ...args] = process.argv.slice(2);
if (!js || argv0 === undefined) {
  process.stderr.write('usage: node run.mjs DIR/NAME.js ARGV0 [args...]\n');
  process.exit(2);
}
_setArgs([argv0, ...args]);
const env = {};
for (const kv of (process.env.WVFS_COMPONENT_ENV || '').split('\n').filter(Boolean))
  env[kv.slice(0, kv.indexOf('='))] = kv.slice(kv.indexOf('=') + 1);
_setEnv(env);
_setCwd(undefined);
_setPreopens({});
try {
  const mod = await import(pathToFileURL(path.resolve(js)));
  await mod.run.run();
  await new Promise((resolve) => setTimeout(resolve)); // let stdout drain
  process.exit(0);
} catch (e) {
  process.stderr.write(`wasi-component-run: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
}
