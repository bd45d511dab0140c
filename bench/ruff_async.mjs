// ruff_async.mjs: the Ruff peer for bench/run.sh. Lints every file of a list with
// the pinned Ruff WebAssembly build (bench/ruff/package-lock.json), rules ASYNC +
// RUF006, on one thread, and prints one JSON line:
//
//   {"tool":"ruff-wasm","version":V,"files":N,"bytes":B,"findings":F,
//    "syntax_errors":S,"seconds":T}
//
// Usage: node --liftoff-only bench/ruff_async.mjs FILELIST [MODULES_DIR]
// MODULES_DIR holds node_modules/@astral-sh/ruff-wasm-nodejs (default: bench/out/ruff,
// where bench/setup.sh installs it; or $RUFF_WASM_DIR). "seconds" covers reading and
// checking only; run.sh times the whole process separately.
// Exit: 0 on success, 1 if a file could not be read or checked, 2 on usage errors.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
if (args.length < 1 || args.length > 2) {
	process.stderr.write('usage: node --liftoff-only ruff_async.mjs FILELIST [MODULES_DIR]\n');
	process.exit(2);
}
const modulesDir = resolve(args[1] ?? process.env.RUFF_WASM_DIR ?? join(here, 'out', 'ruff'));

let ruff, version;
try {
	// The package is CommonJS and lives outside this script's directory tree.
	const require = createRequire(join(modulesDir, 'package.json'));
	ruff = require('@astral-sh/ruff-wasm-nodejs');
	version = require('@astral-sh/ruff-wasm-nodejs/package.json').version;
} catch (err) {
	process.stderr.write(`ruff_async: cannot load @astral-sh/ruff-wasm-nodejs from ${modulesDir}: ${err.message}\n` +
		'ruff_async: run bench/setup.sh first\n');
	process.exit(2);
}

let list;
try {
	list = readFileSync(args[0], 'utf8').split('\n').filter((p) => p.length > 0);
} catch (err) {
	process.stderr.write(`ruff_async: ${args[0]}: ${err.message}\n`);
	process.exit(2);
}

const { Workspace, PositionEncoding } = ruff;
const ws = new Workspace({ lint: { select: ['ASYNC', 'RUF006'] } }, PositionEncoding.Utf8);

let files = 0, bytes = 0, findings = 0, syntaxErrors = 0, failed = false;
const t0 = process.hrtime.bigint();
for (const path of list) {
	let source;
	try {
		const raw = readFileSync(path);
		bytes += raw.length;
		source = raw.toString('utf8');
	} catch (err) {
		process.stderr.write(`ruff_async: ${path}: ${err.message}\n`);
		failed = true;
		continue;
	}
	let diags;
	try {
		diags = ws.check(source);
	} catch (err) {
		process.stderr.write(`ruff_async: ${path}: check failed: ${err}\n`);
		failed = true;
		continue;
	}
	for (const d of diags) {
		// Syntax errors come back as diagnostics with code "invalid-syntax".
		if (d.code === null || d.code === 'invalid-syntax')
			syntaxErrors++;
		else
			findings++;
	}
	files++;
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
ws.free();

process.stdout.write(JSON.stringify({
	tool: 'ruff-wasm', version, files, bytes, findings,
	syntax_errors: syntaxErrors, seconds: Number(seconds.toFixed(6)),
}) + '\n');
process.exitCode = failed ? 1 : 0;
