// Reads the log that `Sarif.Multitool validate` wrote and prints every finding and tool
// notification, one a line. Exits 1 when any of them is an error or a warning, 0 otherwise.
// Usage: node report.js MULTITOOL_OUTPUT.sarif
'use strict';
const fs = require('fs');

const log = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
let bad = 0;
let notes = 0;

function text(message, rule) {
	if (message.text)
		return message.text;
	const template = rule && rule.messageStrings && rule.messageStrings[message.id];
	if (!template)
		return message.id || '(no message)';
	const args = message.arguments || [];
	return template.text.replace(/\{(\d+)\}/g, (_, i) => args[Number(i)]);
}

for (const run of log.runs || []) {
	const rules = (run.tool && run.tool.driver && run.tool.driver.rules) || [];
	for (const result of run.results || []) {
		const rule = rules[result.ruleIndex] || rules.find((r) => r.id === result.ruleId);
		const level = result.level ||
			(rule && rule.defaultConfiguration && rule.defaultConfiguration.level) || 'warning';
		const where = (((result.locations || [])[0] || {}).physicalLocation || {}).region || {};
		const line = `${level} ${result.ruleId} (${where.startLine || '?'}:${where.startColumn || '?'}): ` +
			text(result.message || {}, rule);
		if (level === 'error' || level === 'warning') {
			bad++;
			console.log(line);
		} else {
			notes++;
		}
	}
	for (const inv of run.invocations || []) {
		const all = (inv.toolExecutionNotifications || []).concat(inv.toolConfigurationNotifications || []);
		for (const n of all) {
			const id = (n.descriptor && n.descriptor.id) || '';
			const msg = text(n.message || {}, null);
			// The one rule our policy file turns off on purpose.
			if (id === 'WRN999.RuleExplicitlyDisabled' && msg.includes("'SARIF2006'"))
				continue;
			const level = n.level || 'warning';
			if (level === 'error' || level === 'warning') {
				bad++;
				console.log(`tool ${level} ${id}: ${msg}`);
			}
		}
		if (inv.executionSuccessful === false) {
			bad++;
			console.log('tool error: the Multitool run did not succeed');
		}
	}
}
console.log(`Sarif.Multitool: ${bad} error(s) or warning(s), ${notes} note(s)`);
process.exit(bad ? 1 : 0);
