// args.js — split an argument line as a shell would for simple cases: spaces
// separate words, "double" or 'single' quotes group them.  Shared by the page
// and its test, so both run a program with the same argv.
export function splitArgs(line) {
  const out = [];
  let cur = '', inWord = false, quote = null;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = null; else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch; inWord = true;
    } else if (ch === ' ') {
      if (inWord) out.push(cur);
      cur = ''; inWord = false;
    } else {
      cur += ch; inWord = true;
    }
  }
  if (inWord) out.push(cur);
  return out;
}
