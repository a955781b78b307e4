import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { alertRules, ISSUE_ALERTS, PROMETHEUS_CONFIG, RULE_TESTS_DIR, RULES_DIR, runTool, yamlFiles } from '../support/ops.js';

interface RuleTestFile {
  rule_files: string[];
  tests: { name?: string; alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
}

describe('ops/prometheus: config and alert rules (promtool)', () => {
  it('promtool check config passes on prometheus.yml with its rule files (key file supplied as it would be on a host)', () => {
    // The config points at /etc/prometheus/ffe-key; promtool checks the file exists, so check a copy pointing at a real one.
    const dir = mkdtempSync(join(tmpdir(), 'ffe-promcfg-'));
    writeFileSync(join(dir, 'ffe-key'), 'ffe_test_key\n');
    const config = readFileSync(PROMETHEUS_CONFIG, 'utf8').replace('/etc/prometheus/ffe-key', join(dir, 'ffe-key')).replace('rules/*.yml', join(RULES_DIR, '*.yml'));
    expect(config).toContain(join(dir, 'ffe-key'));
    writeFileSync(join(dir, 'prometheus.yml'), config);
    const r = runTool('promtool', ['check', 'config', join(dir, 'prometheus.yml')]);
    expect(r.stdout + r.stderr).toMatch(/SUCCESS: 14 rules found/);
    expect([r.code, r.stderr]).toEqual([0, '']);
    // The original too, syntax only (no file access).
    copyFileSync(PROMETHEUS_CONFIG, join(dir, 'as-shipped.yml'));
    expect(runTool('promtool', ['check', 'config', '--syntax-only', join(dir, 'as-shipped.yml')]).code).toBe(0);
  });

  it('promtool check rules passes and every alert of the issue is defined once, with severity, summary, description and runbook', () => {
    const r = runTool('promtool', ['check', 'rules', ...yamlFiles(RULES_DIR)]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const rules = alertRules();
    expect(rules.map((x) => x.alert).sort()).toEqual([...ISSUE_ALERTS].sort());
    for (const rule of rules) {
      expect(['critical', 'warning'], rule.alert).toContain(rule.labels?.severity);
      for (const [a, min] of [
        ['summary', 10],
        ['description', 20],
        ['runbook', 40],
      ] as const)
        expect(rule.annotations?.[a]?.length ?? 0, `${rule.alert}.${a}`).toBeGreaterThan(min);
    }
  });

  it('promtool test rules passes, and every alert has a case where it fires and one where it stays quiet', () => {
    const files = yamlFiles(RULE_TESTS_DIR);
    const r = runTool('promtool', ['test', 'rules', ...files]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.match(/SUCCESS/g)).toHaveLength(files.length);

    const fires = new Map<string, number>();
    const quiet = new Map<string, number>();
    for (const f of files) {
      const t = parse(readFileSync(f, 'utf8')) as RuleTestFile;
      expect(t.rule_files, f).toEqual(['../rules/ffe.yml']);
      for (const c of t.tests.flatMap((g) => g.alert_rule_test ?? [])) {
        const m = (c.exp_alerts ?? []).length > 0 ? fires : quiet;
        m.set(c.alertname, (m.get(c.alertname) ?? 0) + 1);
      }
    }
    const missing = ISSUE_ALERTS.flatMap((a) => [...(fires.get(a) ? [] : [`${a}: no firing case`]), ...(quiet.get(a) ? [] : [`${a}: no quiet case`])]);
    expect(missing).toEqual([]);
    const cases = [...fires.values(), ...quiet.values()].reduce((a, b) => a + b, 0);
    console.log(
      `promtool test rules: ${files.length} files, ${cases} alert cases (${[...fires.values()].reduce((a, b) => a + b, 0)} firing, ${[...quiet.values()].reduce((a, b) => a + b, 0)} quiet) over ${ISSUE_ALERTS.length} alerts`,
    );
  });

  it('a broken expectation makes promtool test rules fail (the check above can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ffe-promtest-'));
    const broken = readFileSync(join(RULE_TESTS_DIR, 'availability.yml'), 'utf8').replace("'1 1 0 0 0 0 0'", "'1 1 1 1 1 1 1'").replace('../rules/ffe.yml', join(RULES_DIR, 'ffe.yml'));
    writeFileSync(join(dir, 'broken.yml'), broken);
    const r = runTool('promtool', ['test', 'rules', join(dir, 'broken.yml')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('TradingAgentDown');
  });
});
