// The GitHub workflows: release.yml runs the tests before it packages, in every job and for every
// matrix entry, covers every OS and architecture, signs from secrets and uploads what it built;
// ci.yml runs the same checks as the submission CI (.ci/run).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { ROOT } from './builder-config';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on': string;
  needs?: string | string[];
  if?: string;
  container?: string;
  permissions?: Record<string, string>;
  strategy?: { matrix?: { include?: Record<string, string>[] } };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

function loadWorkflow(name: string): Workflow {
  return load(readFileSync(path.join(ROOT, '.github/workflows', name), 'utf8')) as Workflow;
}

/** One concrete run of a job: a matrix entry with `${{ matrix.* }}` filled in and `if:`s decided. */
interface JobRun {
  job: string;
  runner: string;
  os: 'Linux' | 'Windows' | 'macOS';
  steps: Step[];
}

function runnerOs(runner: string): JobRun['os'] {
  if (runner.startsWith('ubuntu')) return 'Linux';
  if (runner.startsWith('windows')) return 'Windows';
  if (runner.startsWith('macos')) return 'macOS';
  throw new Error(`unknown runner ${runner}`);
}

const fillMatrix = (text: string, entry: Record<string, string>): string =>
  text.replace(/\$\{\{\s*matrix\.([\w-]+)\s*\}\}/g, (_all, key: string) => {
    const value = entry[key];
    if (value === undefined) throw new Error(`matrix.${key} is not defined in ${JSON.stringify(entry)}`);
    return value;
  });

/**
 * The conditions these workflows use, evaluated for a tag push. Anything else fails the test, so a
 * new condition is decided here on purpose rather than silently assumed true.
 */
function holds(condition: string | undefined, os: JobRun['os']): boolean {
  if (condition === undefined) return true;
  const expression = condition.replace(/^\$\{\{\s*|\s*\}\}$/g, '').trim();
  const osTest = /^runner\.os\s*(==|!=)\s*'(\w+)'$/.exec(expression);
  if (osTest) return (osTest[2] === os) === (osTest[1] === '==');
  if (expression === "startsWith(github.ref, 'refs/tags/v')") return true;
  throw new Error(`the workflow test does not know the condition: ${condition}`);
}

function jobRuns(workflow: Workflow): JobRun[] {
  return Object.entries(workflow.jobs).flatMap(([job, spec]) => {
    const entries = spec.strategy?.matrix?.include ?? [{}];
    return entries.map((entry) => {
      const runner = fillMatrix(spec['runs-on'], entry);
      const os = runnerOs(runner);
      const steps = spec.steps
        .filter((step) => holds(step.if, os))
        .map((step) => ({ ...step, ...(step.run ? { run: fillMatrix(step.run, entry) } : {}) }));
      return { job, runner, os, steps };
    });
  });
}

const indexOf = (steps: Step[], test: (step: Step) => boolean): number => steps.findIndex(test);
const runs = (pattern: RegExp) => (step: Step) => step.run !== undefined && pattern.test(step.run);

const INSTALL = /(^|\n|&&\s*)\s*npm ci\b|bash \.ci\/run/;
const TEST = /(^|\n|&&\s*)\s*npm test\b|bash \.ci\/run/;
const PACKAGE = /electron-builder\b/;

describe('release.yml', () => {
  const workflow = loadWorkflow('release.yml');
  const all = jobRuns(workflow);
  const packaging = all.filter((run) => run.steps.some(runs(PACKAGE)));

  it('runs on version tags', () => {
    expect((workflow.on.push as { tags: string[] }).tags).toEqual(['v*']);
  });

  it('packages on Linux, Windows and macOS', () => {
    expect(new Set(packaging.map((run) => run.os))).toEqual(new Set(['Linux', 'Windows', 'macOS']));
  });

  it('every packaging run installs, then tests, then builds, then packages, then uploads', () => {
    expect(packaging.length).toBeGreaterThanOrEqual(3);
    for (const run of packaging) {
      const where = `${run.job} on ${run.runner}`;
      const install = indexOf(run.steps, runs(INSTALL));
      const test = indexOf(run.steps, runs(TEST));
      const build = indexOf(run.steps, runs(/npm run build\b/));
      const pack = indexOf(run.steps, runs(PACKAGE));
      const upload = indexOf(run.steps, (step) => step.uses?.startsWith('actions/upload-artifact@') === true);
      expect(install, `${where}: npm ci`).toBeGreaterThanOrEqual(0);
      expect(test, `${where}: tests`).toBeGreaterThanOrEqual(install);
      expect(build, `${where}: build after the tests`).toBeGreaterThan(test);
      expect(pack, `${where}: package after the build`).toBeGreaterThan(build);
      expect(upload, `${where}: upload after packaging`).toBeGreaterThan(pack);
      // Nothing between the tests and packaging reinstalls or rebuilds node_modules behind their back.
      const between = run.steps.slice(test + 1, pack);
      expect(between.filter(runs(/npm (ci|install|rebuild)\b|electron-rebuild|install-app-deps/)), where).toEqual([]);
    }
  });

  it('the test step is the README’s `npm test` or .ci/run, and both exist', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.test).toMatch(/vitest run/);
    expect(readFileSync(path.join(ROOT, '.ci/run'), 'utf8')).toMatch(/npm test/);
  });

  it('builds x64 and arm64 for every OS and never publishes from electron-builder', () => {
    const targets = new Set<string>();
    for (const run of packaging) {
      for (const step of run.steps.filter(runs(PACKAGE))) {
        expect(step.run).toMatch(/--publish never/);
        const platform = /--(linux|win|mac)\b/.exec(step.run ?? '')?.[1];
        expect(platform, step.run).toBeDefined();
        for (const arch of ['x64', 'arm64']) if (new RegExp(`--${arch}\\b`).test(step.run ?? '')) targets.add(`${platform}-${arch}`);
      }
    }
    expect([...targets].sort()).toEqual(['linux-arm64', 'linux-x64', 'mac-arm64', 'mac-x64', 'win-arm64', 'win-x64']);
  });

  it('signs from the workflow’s secrets, each OS with its own certificate', () => {
    const envOf = (os: JobRun['os']) =>
      Object.assign({}, ...packaging.filter((run) => run.os === os).flatMap((run) => run.steps.filter(runs(PACKAGE)).map((step) => step.env ?? {}))) as Record<string, string>;
    const fromSecret = (name: string) => new RegExp(`^\\$\\{\\{\\s*secrets\\.${name}\\s*\\}\\}$`);
    const windows = envOf('Windows');
    expect(windows.WIN_CSC_LINK).toMatch(fromSecret('WIN_CSC_LINK'));
    expect(windows.WIN_CSC_KEY_PASSWORD).toMatch(fromSecret('WIN_CSC_KEY_PASSWORD'));
    expect(windows.CSC_LINK).toBeUndefined();
    const mac = envOf('macOS');
    for (const name of ['CSC_LINK', 'CSC_KEY_PASSWORD', 'APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER']) {
      expect(mac[name], name).toMatch(fromSecret(name));
    }
    expect(envOf('Linux')).toEqual({});
  });

  it('attaches the uploads to a draft release on tags only, after every packaging job', () => {
    const release = workflow.jobs.release;
    expect(release).toBeDefined();
    const packagingJobs = [...new Set(packaging.map((run) => run.job))].sort();
    expect([release?.needs ?? []].flat().sort()).toEqual(packagingJobs);
    expect(release?.if).toBe("startsWith(github.ref, 'refs/tags/v')");
    expect(release?.permissions).toEqual({ contents: 'write' });
    expect(release?.steps.some((step) => step.uses?.startsWith('actions/download-artifact@'))).toBe(true);
    expect(release?.steps.some(runs(/gh release create[\s\S]*--draft/))).toBe(true);
  });

  it('the test helper is not vacuous: a job that packages before testing is caught', () => {
    const broken: Workflow = {
      on: {},
      jobs: {
        bad: {
          'runs-on': 'ubuntu-latest',
          steps: [{ run: 'npm ci' }, { run: 'npm run build' }, { run: 'npx electron-builder --linux --publish never' }, { run: 'npm test' }],
        },
      },
    };
    const [run] = jobRuns(broken);
    expect(indexOf(run?.steps ?? [], runs(TEST))).toBeGreaterThan(indexOf(run?.steps ?? [], runs(PACKAGE)));
  });
});

describe('ci.yml', () => {
  const workflow = loadWorkflow('ci.yml');

  it('runs on pull requests and on pushes to main', () => {
    expect(workflow.on).toHaveProperty('pull_request');
    expect((workflow.on.push as { branches: string[] }).branches).toContain('main');
  });

  it('runs .ci/run, like the submission CI, on the same Debian release', () => {
    const runs = jobRuns(workflow);
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) expect(run.steps.map((step) => step.run)).toContain('bash .ci/run');
    expect(Object.values(workflow.jobs).map((job) => job.container)).toEqual(['node:20-bookworm']);
  });
});

describe('scripts/check-release-tag.mjs', () => {
  const script = path.join(ROOT, 'scripts/check-release-tag.mjs');
  const version = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

  it('accepts the tag naming package.json’s version', () => {
    expect(execFileSync(process.execPath, [script, `v${version}`], { encoding: 'utf8' })).toContain(version);
  });

  it('refuses any other tag with a sentence saying what to do', () => {
    let failure: { status?: number; stderr?: string } = {};
    try {
      execFileSync(process.execPath, [script, 'v999.0.0'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      failure = error as typeof failure;
    }
    expect(failure.status).toBe(1);
    expect(failure.stderr).toContain(`tag the release v${version}`);
  });
});
