// Drives `async-analyzer server` with the LSP client libraries VS Code uses
// (vscode-languageserver-protocol / vscode-jsonrpc, pinned in package-lock.json), and with
// raw bytes where a real client would never send them. Run by tests/t_lsp.sh:
//   NODE_PATH=<installed node_modules> node client.js AA_BIN WORKDIR
// Each check prints "ok - ..." or "not ok - ..."; the exit status is the number of
// failures (capped), so a check that cannot run counts as failed, never as passed.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const rpc = require('vscode-languageserver-protocol/node');

const [bin, work] = process.argv.slice(2);
let failures = 0;
function check(cond, what, detail) {
	console.log(`${cond ? 'ok' : 'not ok'} - ${what}${cond || detail === undefined ? '' : ': ' + JSON.stringify(detail)}`);
	if (!cond) failures++;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// text with LSP TextEdits applied (UTF-16 positions: a JS string's own indexing).
function applyEdits(text, edits) {
	const lines = text.split('\n');
	const offset = (p) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
	const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
	for (const e of sorted)
		text = text.slice(0, offset(e.range.start)) + e.newText + text.slice(offset(e.range.end));
	return text;
}

// A server process and a connection over its stdio.
function start(args = []) {
	const child = spawn(bin, ['server', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
	let stderr = '';
	child.stderr.on('data', (d) => (stderr += d));
	const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
	const conn = rpc.createProtocolConnection(
		new rpc.StreamMessageReader(child.stdout),
		new rpc.StreamMessageWriter(child.stdin),
	);
	const published = [];
	const waiters = [];
	conn.onNotification(rpc.PublishDiagnosticsNotification.type, (p) => {
		published.push(p);
		for (const w of waiters.splice(0)) w();
	});
	const shown = []; // window/showMessage
	conn.onNotification(rpc.ShowMessageNotification.type, (p) => shown.push(p));
	conn.listen();
	// The next publishDiagnostics for uri with version (or any version), within ms.
	async function nextPublish(uri, version, ms = 5000) {
		const deadline = Date.now() + ms;
		for (;;) {
			const i = published.findIndex((p) => p.uri === uri && (version === undefined || p.version === version));
			if (i >= 0) return published.splice(0, i + 1).pop();
			if (Date.now() > deadline) return null;
			await new Promise((r) => { waiters.push(r); setTimeout(r, 100); });
		}
	}
	// The first publishDiagnostics for uri whose diagnostics satisfy pred, within ms.
	async function publishWhere(uri, pred, ms = 10000) {
		const deadline = Date.now() + ms;
		for (let left = ms; left > 0; left = deadline - Date.now()) {
			const p = await nextPublish(uri, undefined, left);
			if (p && pred(p.diagnostics)) return p;
		}
		return null;
	}
	return { child, conn, exited, nextPublish, publishWhere, published, shown };
}

async function withTimeout(promise, ms, what) {
	let timer;
	const t = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms)));
	try {
		return await Promise.race([promise, t]);
	} finally {
		clearTimeout(timer);
	}
}

const uri = (name) => 'file://' + path.join(work, name).split('/').map(encodeURIComponent).join('/');
const BLOCKING = 'time.sleep(1)';
// An astral character (two UTF-16 units, one code point, four UTF-8 bytes) and a
// two-byte one before the finding: the columns differ in each encoding.
const SOURCE = 'import time\n\n\nasync def handler():\n    s = "\u{1F600}\u00e9"; ' + BLOCKING + '\n';
const LINE = 4;

async function pushMode() {
	const s = start();
	const init = await withTimeout(s.conn.sendRequest(rpc.InitializeRequest.type, {
		processId: process.pid, rootUri: uri(''), capabilities: {},
	}), 5000, 'initialize');
	check(init.capabilities.positionEncoding === 'utf-16', 'UTF-16 positions without negotiation', init.capabilities);
	check(init.capabilities.textDocumentSync.change === rpc.TextDocumentSyncKind.Incremental, 'incremental sync offered');
	check(init.capabilities.hoverProvider === true, 'hover offered');
	s.conn.sendNotification(rpc.InitializedNotification.type, {});

	const a = uri('handler.py');
	s.conn.sendNotification(rpc.DidOpenTextDocumentNotification.type, {
		textDocument: { uri: a, languageId: 'python', version: 1, text: SOURCE },
	});
	const p1 = await s.nextPublish(a, 1);
	const d = p1 && p1.diagnostics[0];
	const lineText = SOURCE.split('\n')[LINE];
	const col = lineText.indexOf(BLOCKING); // a JS string index counts UTF-16 units
	check(p1 && p1.diagnostics.length === 1, 'open: one finding published', p1);
	check(d && d.code === 'AA101' && d.severity === rpc.DiagnosticSeverity.Error, 'open: AA101, severity error', d);
	check(d && d.range.start.line === LINE && d.range.start.character === col &&
		d.range.end.character === col + BLOCKING.length, 'open: the range in UTF-16 units past an astral character', d && d.range);
	check(d && /docs\/rules\/AA101\.md$/.test(d.codeDescription.href), 'open: codeDescription links the rule page', d);

	const hover = await s.conn.sendRequest(rpc.HoverRequest.type, {
		textDocument: { uri: a }, position: { line: LINE, character: col + 3 },
	});
	check(hover && hover.contents.kind === 'markdown' && hover.contents.value.startsWith('# AA101 blocking-sleep'),
		'hover on the finding shows the rule page', hover);
	const none = await s.conn.sendRequest(rpc.HoverRequest.type, {
		textDocument: { uri: a }, position: { line: 0, character: 0 },
	});
	check(none === null, 'hover elsewhere is null', none);

	// Code actions on the finding: its safe fix (preferred) and a noqa suppression.
	const actions = await s.conn.sendRequest(rpc.CodeActionRequest.type, {
		textDocument: { uri: a }, range: { start: { line: LINE, character: 0 }, end: { line: LINE, character: 0 } },
		context: { diagnostics: [], only: [rpc.CodeActionKind.QuickFix] },
	});
	const fix = actions.find((x) => x.isPreferred);
	const fixed = fix && applyEdits(SOURCE, fix.edit.changes[a]);
	check(fix && fix.kind === 'quickfix' && fix.diagnostics[0].code === 'AA101' &&
		fixed.includes('await asyncio.sleep(1)') && /^import asyncio$/m.test(fixed),
		'code action: the safe fix, with the import it needs', { fix, fixed });
	const noqa = actions.find((x) => /noqa/.test(x.title));
	const suppressed = noqa && applyEdits(SOURCE, noqa.edit.changes[a]);
	check(noqa && suppressed.split('\n')[LINE].endsWith(BLOCKING + '  # noqa: AA101'),
		'code action: suppress with # noqa: AA101 at the line end', { noqa, suppressed });
	// The suppression goes where --add-noqa puts it: a "# noqa:" inside a string is no
	// comment, and a noqa comment there gets the code added.
	const NOQA_SRC = 'import time\n\n\nasync def handler():\n    s = "# noqa: AA999"; time.sleep(1)\n' +
		'    time.sleep(2)  # noqa: AA102\n';
	const q = uri('noqa.py');
	s.conn.sendNotification(rpc.DidOpenTextDocumentNotification.type, {
		textDocument: { uri: q, languageId: 'python', version: 1, text: NOQA_SRC },
	});
	await s.nextPublish(q, 1);
	const noqaAt = async (line) => {
		const acts = await s.conn.sendRequest(rpc.CodeActionRequest.type, {
			textDocument: { uri: q }, range: { start: { line, character: 0 }, end: { line, character: 0 } },
			context: { diagnostics: [], only: [rpc.CodeActionKind.QuickFix] },
		});
		const act = acts.find((x) => /noqa/.test(x.title));
		return act && applyEdits(NOQA_SRC, act.edit.changes[q]).split('\n')[line];
	};
	const inString = await noqaAt(4);
	check(inString === '    s = "# noqa: AA999"; time.sleep(1)  # noqa: AA101',
		'code action: a "# noqa:" inside a string is left alone', inString);
	const merged = await noqaAt(5);
	check(merged === '    time.sleep(2)  # noqa: AA102, AA101', 'code action: the code joins the line\'s noqa comment', merged);
	s.conn.sendNotification(rpc.DidCloseTextDocumentNotification.type, { textDocument: { uri: q } });
	await s.nextPublish(q);
	const all = await s.conn.sendRequest(rpc.CodeActionRequest.type, {
		textDocument: { uri: a }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
		context: { diagnostics: [], only: ['source.fixAll'] },
	});
	check(all.length === 1 && all[0].kind === 'source.fixAll.async-analyzer' &&
		applyEdits(SOURCE, all[0].edit.changes[a]) === fixed, 'source.fixAll: every safe fix of the document', all);
	// The applied fix, sent back as the editor would: the finding goes.
	s.conn.sendNotification(rpc.DidChangeTextDocumentNotification.type, {
		textDocument: { uri: a, version: 11 }, contentChanges: [{ text: fixed || SOURCE }],
	});
	const pf = await s.nextPublish(a, 11);
	check(pf && pf.diagnostics.length === 0, 'the applied fix clears the finding', pf);
	s.conn.sendNotification(rpc.DidChangeTextDocumentNotification.type, {
		textDocument: { uri: a, version: 12 }, contentChanges: [{ text: SOURCE }],
	});
	await s.nextPublish(a, 12);

	// Incremental edit: replace the blocking call (range in UTF-16 units).
	s.conn.sendNotification(rpc.DidChangeTextDocumentNotification.type, {
		textDocument: { uri: a, version: 13 },
		contentChanges: [{
			range: { start: { line: LINE, character: col }, end: { line: LINE, character: col + BLOCKING.length } },
			text: 'await asyncio.sleep(1)',
		}],
	});
	const p2 = await s.nextPublish(a, 13);
	check(p2 && p2.diagnostics.length === 0, 'incremental edit: the finding is gone', p2);

	// Two quick full-text edits: debounced, the last version is what is published.
	s.conn.sendNotification(rpc.DidChangeTextDocumentNotification.type, {
		textDocument: { uri: a, version: 14 }, contentChanges: [{ text: 'x = 1\n' }],
	});
	s.conn.sendNotification(rpc.DidChangeTextDocumentNotification.type, {
		textDocument: { uri: a, version: 15 }, contentChanges: [{ text: SOURCE }],
	});
	const p4 = await s.nextPublish(a, 15);
	check(p4 && p4.diagnostics.length === 1 && !s.published.some((p) => p.version === 14),
		'full edits: debounced, the last version published', p4);

	// A configuration change re-analyzes the open documents.
	s.conn.sendNotification(rpc.DidChangeConfigurationNotification.type, { settings: {} });
	const p5 = await s.nextPublish(a, 15);
	check(p5 && p5.diagnostics.length === 1, 'configuration change: findings published again', p5);

	// Unknown requests are errors, unknown notifications are ignored.
	let err = null;
	try {
		await s.conn.sendRequest('workspace/noSuchThing', {});
	} catch (e) {
		err = e;
	}
	check(err && err.code === rpc.ErrorCodes.MethodNotFound, 'unknown request: MethodNotFound', err && err.code);

	s.conn.sendNotification(rpc.DidCloseTextDocumentNotification.type, { textDocument: { uri: a } });
	const closed = await s.nextPublish(a);
	check(closed && closed.diagnostics.length === 0, 'close: findings cleared', closed);

	await s.conn.sendRequest(rpc.ShutdownRequest.type);
	s.conn.sendNotification(rpc.ExitNotification.type);
	const end = await withTimeout(s.exited, 5000, 'exit');
	check(end.code === 0, 'shutdown then exit: status 0', end);
	s.conn.dispose();
}

async function pullMode() {
	const s = start();
	const init = await s.conn.sendRequest(rpc.InitializeRequest.type, {
		processId: process.pid, rootUri: uri(''),
		capabilities: { general: { positionEncodings: ['utf-8', 'utf-16'] }, textDocument: { diagnostic: {} } },
	});
	check(init.capabilities.positionEncoding === 'utf-8', 'the client\'s preferred encoding (utf-8) is used', init.capabilities);
	check(init.capabilities.diagnosticProvider && init.capabilities.diagnosticProvider.interFileDependencies,
		'pull diagnostics offered');
	s.conn.sendNotification(rpc.InitializedNotification.type, {});
	const b = uri('pulled.py');
	s.conn.sendNotification(rpc.DidOpenTextDocumentNotification.type, {
		textDocument: { uri: b, languageId: 'python', version: 1, text: SOURCE },
	});
	const report = await withTimeout(s.conn.sendRequest(rpc.DocumentDiagnosticRequest.type, { textDocument: { uri: b } }),
		5000, 'textDocument/diagnostic');
	const lineBytes = Buffer.from(SOURCE.split('\n')[LINE], 'utf8');
	const col = lineBytes.indexOf(Buffer.from(BLOCKING));
	const d = report.items && report.items[0];
	check(report.kind === 'full' && report.items.length === 1 && d.code === 'AA101', 'pull: the finding', report);
	check(d && d.range.start.character === col, 'pull: the range in UTF-8 bytes', d && d.range);
	await sleep(300);
	check(s.published.length === 0, 'pull mode publishes nothing', s.published);
	const unknown = await s.conn.sendRequest(rpc.DocumentDiagnosticRequest.type, { textDocument: { uri: uri('nope.py') } });
	check(unknown.kind === 'full' && unknown.items.length === 0, 'pull of a document not open: empty', unknown);
	// The input ends without shutdown or exit: the server ends, status 1, no hang.
	s.child.stdin.end();
	const end = await withTimeout(s.exited, 5000, 'end of input');
	check(end.code === 1 && end.signal === null, 'end of input without exit: status 1', end);
	s.conn.dispose();
}

// The workspace is a project: a helper module's edit reaches its open caller's findings.
async function crossFile() {
	const ws = path.join(work, 'project');
	fs.mkdirSync(path.join(ws, 'shop'), { recursive: true });
	const HELPER = 'import time\n\n\ndef load(key):\n    time.sleep(1)\n    return key\n';
	const CALLER = 'from shop import helpers\n\n\nasync def handler(key):\n    return helpers.load(key)\n';
	fs.writeFileSync(path.join(ws, 'shop', '__init__.py'), '');
	fs.writeFileSync(path.join(ws, 'shop', 'helpers.py'), HELPER);
	fs.writeFileSync(path.join(ws, 'shop', 'app.py'), CALLER);
	const wsUri = 'file://' + ws;
	const helperUri = wsUri + '/shop/helpers.py';
	const appUri = wsUri + '/shop/app.py';
	const s = start(['--extend-select', 'AA109']); // AA109 is opt-in
	await s.conn.sendRequest(rpc.InitializeRequest.type, {
		processId: process.pid, rootUri: wsUri, workspaceFolders: [{ uri: wsUri, name: 'project' }],
		capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } },
	});
	let registered = null;
	s.conn.onRequest(rpc.RegistrationRequest.type, (p) => {
		registered = p;
		return null;
	});
	s.conn.sendNotification(rpc.InitializedNotification.type, {});
	s.conn.sendNotification(rpc.DidOpenTextDocumentNotification.type, {
		textDocument: { uri: appUri, languageId: 'python', version: 1, text: CALLER },
	});
	const p1 = await s.nextPublish(appUri, 1);
	const chain = p1 && p1.diagnostics.find((d) => d.code === 'AA109');
	check(chain && chain.range.start.line === 4, 'a chain into a module on disk: AA109 on the caller', p1);
	check(chain && chain.relatedInformation && chain.relatedInformation.some((r) => r.location.uri === helperUri),
		'the chain\'s hops point into the helper module', chain && chain.relatedInformation);
	check(registered && registered.registrations[0].method === 'workspace/didChangeWatchedFiles',
		'file watchers registered with the client', registered);

	// The helper opened and edited in the editor: the caller's finding goes, though the
	// caller's text did not change.
	s.conn.sendNotification(rpc.DidOpenTextDocumentNotification.type, {
		textDocument: { uri: helperUri, languageId: 'python', version: 1, text: HELPER },
	});
	s.conn.sendNotification(rpc.DidChangeTextDocumentNotification.type, {
		textDocument: { uri: helperUri, version: 2 },
		contentChanges: [{ text: HELPER.replace('time.sleep(1)', 'pass') }],
	});
	let p2 = null;
	for (let i = 0; i < 20 && !(p2 && p2.diagnostics.length === 0); i++) p2 = await s.nextPublish(appUri, 1, 2000);
	check(p2 && p2.diagnostics.length === 0, 'an edit of the open helper clears its open caller\'s finding', p2);

	// Closed again: the file on disk (still blocking) is what counts.
	s.conn.sendNotification(rpc.DidCloseTextDocumentNotification.type, { textDocument: { uri: helperUri } });
	let p3 = null;
	for (let i = 0; i < 20 && !(p3 && p3.diagnostics.length === 1); i++) p3 = await s.nextPublish(appUri, 1, 2000);
	check(p3 && p3.diagnostics.length === 1, 'the helper closed: the file on disk decides again', p3);

	// The helper changed on disk, as another tool would: the watcher's notification.
	fs.writeFileSync(path.join(ws, 'shop', 'helpers.py'), HELPER.replace('time.sleep(1)', 'pass'));
	s.conn.sendNotification(rpc.DidChangeWatchedFilesNotification.type, {
		changes: [{ uri: helperUri, type: rpc.FileChangeType.Changed }],
	});
	let p4 = null;
	for (let i = 0; i < 20 && !(p4 && p4.diagnostics.length === 0); i++) p4 = await s.nextPublish(appUri, 1, 2000);
	check(p4 && p4.diagnostics.length === 0, 'a change on disk of a closed helper reaches the caller', p4);

	await s.conn.sendRequest(rpc.ShutdownRequest.type);
	s.conn.sendNotification(rpc.ExitNotification.type);
	const end = await withTimeout(s.exited, 5000, 'exit');
	check(end.code === 0, 'cross-file session: status 0', end);
	s.conn.dispose();
}

// The workspace's configuration files apply as `check` applies them, and are read again
// when they change; a broken one is shown once and the last good one stays in force.
async function configuration() {
	const ws = path.join(work, 'configured');
	fs.mkdirSync(path.join(ws, 'jobs'), { recursive: true });
	// AA101 (default on), AA104 and AA404 (opt-in) in each file.
	const SRC = 'import time\n\n\nasync def handler(timeout):\n    time.sleep(1)\n    open("x")\n';
	const GOOD = '[project]\nname = "x"\n\n[tool.async-analyzer]\nextend-select = ["AA404", "AA104"]\nignore = ["AA101"]\n' +
		'per-file-ignores = { "jobs/*" = ["AA104"] }\nseverity = { AA104 = "warning" }\nextend-exclude = ["generated"]\n';
	const config = path.join(ws, 'pyproject.toml');
	fs.writeFileSync(config, GOOD);
	fs.writeFileSync(path.join(ws, 'app.py'), SRC);
	fs.writeFileSync(path.join(ws, 'jobs', 'job.py'), SRC);
	fs.mkdirSync(path.join(ws, 'generated'));
	fs.writeFileSync(path.join(ws, 'generated', 'gen.py'), SRC);
	const wsUri = 'file://' + ws;
	const appUri = wsUri + '/app.py', testUri = wsUri + '/jobs/job.py', configUri = wsUri + '/pyproject.toml';
	const codes = (diags) => diags.map((d) => d.code).sort().join(',');
	const s = start();
	await s.conn.sendRequest(rpc.InitializeRequest.type, {
		processId: process.pid, rootUri: wsUri, workspaceFolders: [{ uri: wsUri, name: 'configured' }], capabilities: {},
	});
	s.conn.sendNotification(rpc.InitializedNotification.type, {});
	for (const u of [appUri, testUri])
		s.conn.sendNotification(rpc.DidOpenTextDocumentNotification.type, {
			textDocument: { uri: u, languageId: 'python', version: 1, text: SRC },
		});
	const app = await s.nextPublish(appUri, 1), test = await s.nextPublish(testUri, 1);
	check(app && codes(app.diagnostics) === 'AA104,AA404',
		'pyproject.toml: AA101 ignored, the opt-in AA404 and AA104 selected', app && app.diagnostics);
	check(test && codes(test.diagnostics) === 'AA404', 'pyproject.toml: per-file-ignores drops AA104 in jobs/ (scripts/ would be spared whole: one-shot programs)', test);
	const genUri = wsUri + '/generated/gen.py';
	s.conn.sendNotification(rpc.DidOpenTextDocumentNotification.type, {
		textDocument: { uri: genUri, languageId: 'python', version: 1, text: SRC },
	});
	const gen = await s.nextPublish(genUri, 1);
	check(gen && gen.diagnostics.length === 0, 'pyproject.toml: an excluded file, open, has no findings', gen);
	const warn = app && app.diagnostics.find((d) => d.code === 'AA104');
	check(warn && warn.severity === rpc.DiagnosticSeverity.Warning, 'pyproject.toml: AA104\'s severity is warning', warn);
	// What `check` reports in the same workspace, file by file: the same findings.
	const cli = require('child_process').spawnSync(bin, ['check', '--format', 'json', '.'], { cwd: ws, encoding: 'utf8' });
	const byCheck = (name) => JSON.parse(cli.stdout).filter((f) => f.path === name).map((f) => f.code).sort().join(',');
	check(app && test && byCheck('app.py') === codes(app.diagnostics) &&
		byCheck('jobs/job.py') === codes(test.diagnostics), 'the same findings as `check` in the workspace',
		{ check: cli.stdout.slice(0, 2000) });

	// The configuration edited on disk; the watcher says so: AA101 comes back.
	fs.writeFileSync(config, GOOD.replace('ignore = ["AA101"]\n', ''));
	s.conn.sendNotification(rpc.DidChangeWatchedFilesNotification.type, {
		changes: [{ uri: configUri, type: rpc.FileChangeType.Changed }],
	});
	const p2 = await s.publishWhere(appUri, (d) => codes(d) === 'AA101,AA104,AA404');
	check(p2, 'configuration changed on disk (didChangeWatchedFiles): AA101 reported again', p2);
	// Edited again, then didChangeConfiguration: AA104 ignored too.
	const IGNORING = GOOD.replace('ignore = ["AA101"]', 'ignore = ["AA101", "AA104"]');
	fs.writeFileSync(config, IGNORING);
	s.conn.sendNotification(rpc.DidChangeConfigurationNotification.type, { settings: {} });
	const p3 = await s.publishWhere(appUri, (d) => codes(d) === 'AA404');
	check(p3, 'didChangeConfiguration: the configuration is read again (AA104 ignored)', p3);
	check(s.shown.length === 0, 'no message while the configuration is good', s.shown);

	// Broken: an unknown key, beside a change (AA104 no longer ignored) that must not
	// apply. One message, of type Error, with the place; the last good configuration goes
	// on deciding, for an edit too.
	fs.writeFileSync(config, GOOD + 'bogus-key = 1\n');
	s.conn.sendNotification(rpc.DidChangeWatchedFilesNotification.type, {
		changes: [{ uri: configUri, type: rpc.FileChangeType.Changed }],
	});
	await s.publishWhere(appUri, () => s.shown.length > 0, 10000);
	const line = GOOD.split('\n').length; // the key's line, 1-based
	check(s.shown.length === 1 && s.shown[0].type === rpc.MessageType.Error &&
		s.shown[0].message.includes(`pyproject.toml:${line}:1: unknown key 'bogus-key'`),
		'a broken configuration: one window/showMessage of type Error, with FILE:LINE:COL', s.shown);
	s.conn.sendNotification(rpc.DidChangeConfigurationNotification.type, { settings: {} });
	s.conn.sendNotification(rpc.DidChangeTextDocumentNotification.type, {
		textDocument: { uri: appUri, version: 2 }, contentChanges: [{ text: SRC + '\n' }],
	});
	const p4 = await s.nextPublish(appUri, 2);
	check(p4 && codes(p4.diagnostics) === 'AA404', 'still broken: the last good configuration decides', p4);
	check(s.shown.length === 1, 'the same error is not shown twice', s.shown);
	// Another error (TOML syntax) is shown too, once.
	fs.writeFileSync(config, IGNORING + 'bogus = [\n');
	s.conn.sendNotification(rpc.DidChangeWatchedFilesNotification.type, {
		changes: [{ uri: configUri, type: rpc.FileChangeType.Changed }],
	});
	await s.publishWhere(appUri, () => s.shown.length > 1, 10000);
	check(s.shown.length === 2 && /pyproject\.toml:\d+:\d+: /.test(s.shown[1].message),
		'a different error (bad TOML): shown once more', s.shown);

	// Fixed: its settings apply, and nothing more is shown.
	fs.writeFileSync(config, GOOD);
	s.conn.sendNotification(rpc.DidChangeWatchedFilesNotification.type, {
		changes: [{ uri: configUri, type: rpc.FileChangeType.Changed }],
	});
	const p5 = await s.publishWhere(appUri, (d) => codes(d) === 'AA104,AA404');
	check(p5 && s.shown.length === 2, 'fixed: its settings decide again, no message', { p5, shown: s.shown });
	await s.conn.sendRequest(rpc.ShutdownRequest.type);
	s.conn.sendNotification(rpc.ExitNotification.type);
	const end = await withTimeout(s.exited, 5000, 'exit');
	check(end.code === 0, 'configuration session: status 0', end);
	s.conn.dispose();

	// Broken from the start: the defaults decide (AA101 on, AA104 and AA404 off), said once.
	const broken = path.join(work, 'broken');
	fs.mkdirSync(broken, { recursive: true });
	fs.writeFileSync(path.join(broken, 'async-analyzer.toml'), 'extend-select = ["AA404", "AA104"]\nbogus = 1\n');
	const b = start();
	const bUri = 'file://' + broken;
	await b.conn.sendRequest(rpc.InitializeRequest.type, { processId: process.pid, rootUri: bUri, capabilities: {} });
	b.conn.sendNotification(rpc.InitializedNotification.type, {});
	b.conn.sendNotification(rpc.DidOpenTextDocumentNotification.type, {
		textDocument: { uri: bUri + '/app.py', languageId: 'python', version: 1, text: SRC },
	});
	const p6 = await b.nextPublish(bUri + '/app.py', 1);
	check(p6 && codes(p6.diagnostics) === 'AA101' && b.shown.length === 1 &&
		/async-analyzer\.toml:2:1: unknown key 'bogus'.*default settings/.test(b.shown[0].message),
		'broken from the start: one message, the default settings decide', { p6, shown: b.shown });
	await b.conn.sendRequest(rpc.ShutdownRequest.type);
	b.conn.sendNotification(rpc.ExitNotification.type);
	await withTimeout(b.exited, 5000, 'exit');
	b.conn.dispose();
}

// Raw bytes: what no library would send.
function raw(bytes, ms = 5000) {
	return new Promise((resolve) => {
		const child = spawn(bin, ['server'], { stdio: ['pipe', 'pipe', 'pipe'] });
		let out = '';
		let err = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (err += d));
		const timer = setTimeout(() => child.kill('SIGKILL'), ms);
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			resolve({ code, signal, out, err });
		});
		child.stdin.end(bytes);
	});
}

const frame = (obj) => {
	const body = Buffer.from(typeof obj === 'string' ? obj : JSON.stringify(obj));
	return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
};

function responses(out) {
	const msgs = [];
	let rest = Buffer.from(out);
	for (;;) {
		const sep = rest.indexOf('\r\n\r\n');
		if (sep < 0) break;
		const n = Number(/Content-Length: (\d+)/i.exec(rest.slice(0, sep).toString())[1]);
		msgs.push(JSON.parse(rest.slice(sep + 4, sep + 4 + n).toString()));
		rest = rest.slice(sep + 4 + n);
	}
	return msgs;
}

async function malformed() {
	const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { capabilities: {} } };
	const r1 = await raw(Buffer.concat([
		frame({ jsonrpc: '2.0', id: 0, method: 'textDocument/hover', params: {} }),
		frame(init),
		frame('{"jsonrpc": "2.0", "id": 2, "method": '),
		frame('[1, 2]'),
		frame({ jsonrpc: '2.0', id: { no: 1 }, method: 'shutdown' }),
		frame({ jsonrpc: '2.0', id: 3, method: 'textDocument/hover', params: { textDocument: { uri: 'file:///x.py' }, position: { line: 0, character: 0 } } }),
		frame({ jsonrpc: '2.0', method: 'textDocument/didChange', params: { textDocument: { uri: 'file:///x.py', version: 9 }, contentChanges: [{ range: 'bad' }] } }),
		frame({ jsonrpc: '2.0', id: 4, method: 'shutdown' }),
		frame({ jsonrpc: '2.0', method: 'exit' }),
	]));
	const msgs = responses(r1.out);
	const byId = (id) => msgs.find((m) => JSON.stringify(m.id) === JSON.stringify(id));
	check(byId(0) && byId(0).error.code === -32002, 'a request before initialize: ServerNotInitialized', byId(0));
	check(msgs.filter((m) => m.error && m.error.code === -32700).length === 1, 'truncated JSON: one ParseError', msgs);
	check(msgs.filter((m) => m.id === null && m.error && m.error.code === -32600).length === 2,
		'an array and an object id: InvalidRequest, id null', msgs);
	check(byId(3) && byId(3).result === null, 'still serving after the malformed ones', byId(3));
	check(r1.code === 0 && r1.signal === null, 'then shutdown and exit: status 0', r1);

	for (const [what, bytes] of [
		['Content-Length not a number', Buffer.from('Content-Length: abc\r\n\r\n{}')],
		['no Content-Length', Buffer.from('Content-Type: x\r\n\r\n{}')],
		['a body larger than the limit', Buffer.from('Content-Length: 99999999999999\r\n\r\n')],
		['the input ends inside a body', Buffer.from('Content-Length: 100\r\n\r\n{"jsonrpc"')],
		['a header without end', Buffer.alloc(20000, 'a')],
	]) {
		const r = await raw(bytes);
		check(r.code === 1 && r.signal === null && /async-analyzer server: /.test(r.err),
			`framing error (${what}): ends with status 1 and says why`, r);
	}
}

(async () => {
	fs.mkdirSync(work, { recursive: true });
	for (const part of [pushMode, pullMode, crossFile, configuration, malformed]) {
		try {
			await part();
		} catch (e) {
			check(false, `${part.name} ran to the end`, String(e && e.stack || e));
		}
	}
	console.log(`lsp client: ${failures} failed`);
	process.exit(Math.min(failures, 100));
})();
