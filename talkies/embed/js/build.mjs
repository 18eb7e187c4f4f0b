// Builds the publisher scripts from src/ with the pinned esbuild: talkies/static/embed/embed.js and
// count.js, each one self-contained, minified IIFE. The output depends only on the sources and esbuild's
// version, so check.sh can rebuild into a temporary folder and compare byte for byte.
//
//   node build.mjs                 writes ../../static/embed/{embed,count}.js and i18n/<lang>.json
//   node build.mjs --outdir DIR    writes them into DIR instead (check.sh)
//   node build.mjs --sizes         also prints each file's size, raw and gzipped

import { build } from "esbuild";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const at = args.indexOf("--outdir");
const outdir = at >= 0 ? resolve(args[at + 1]) : resolve(here, "../../static/embed");

/** Each built file, its entry, and the one line that says what it is to whoever opens it. */
const SCRIPTS = [
  { name: "embed.js", entry: "src/embed.js", about: "Talkies reaction panel" },
  { name: "count.js", entry: "src/count.js", about: "Talkies comment and rating counts" },
];

await mkdir(outdir, { recursive: true });
for (const { name, entry, about } of SCRIPTS) {
  await build({
    absWorkingDir: here,
    entryPoints: [entry],
    outfile: join(outdir, name),
    bundle: true,
    format: "iife",
    minify: true,
    target: "es2019",
    charset: "ascii", // right whatever charset the publisher's page declares
    legalComments: "none",
    sourcemap: false,
    banner: { js: `// ${about}. Built from talkies/embed/js/src by build.mjs: edit the sources, then run make embed-build.` },
    logLevel: "warning",
  });
}

// Every language but English (built into embed.js) as the JSON file pages in that language fetch.
const { LANGUAGES } = await import("./src/i18n/index.js");
await mkdir(join(outdir, "i18n"), { recursive: true });
for (const lang of LANGUAGES.filter((code) => code !== "en")) {
  const { default: strings } = await import(`./src/i18n/${lang}.js`);
  await writeFile(join(outdir, "i18n", `${lang}.json`), JSON.stringify(strings) + "\n");
}

if (args.includes("--sizes")) {
  for (const { name } of SCRIPTS) {
    const body = await readFile(join(outdir, name));
    console.log(`${name}: ${body.length} bytes, ${gzipSync(body, { level: 9 }).length} gzipped`);
  }
  for (const lang of LANGUAGES.filter((code) => code !== "en")) {
    const body = await readFile(join(outdir, "i18n", `${lang}.json`));
    console.log(`i18n/${lang}.json: ${body.length} bytes, ${gzipSync(body, { level: 9 }).length} gzipped`);
  }
}
