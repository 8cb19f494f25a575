import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@pg2ddb/service';
import { TestPipeline, testTempDir } from '@pg2ddb/testing';

// `pg2ddb` as a shell command: the package's bin launcher, run like an operator or a script would
// (exit codes, stdout that jq can read, stderr for endpoints and progress, no colour when piped).
const root = repoRoot();
const bin = join(root, 'apps/cli/bin/pg2ddb.cjs');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const CONNECTION_VARIABLES = /^(PG2DDB_|AWS_)/;

const mapping = `
version: 1
table: { name: placeholder, partitionKey: { name: PK, type: S } }
entities:
  - name: Thing
    source: { table: things }
    primaryKey: [id]
    columns: { id: integer, label: text }
    key: { pk: "THING#{id}" }
`;

/** Runs the installed command; `clean` drops every PG2DDB_/AWS_ variable first (a fresh shell). */
function pg2ddb(args: string[], env: Record<string, string> = {}, options: { clean?: boolean; cwd?: string } = {}) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !(options.clean && CONNECTION_VARIABLES.test(name))));
  const result = spawnSync(bin, args, { cwd: options.cwd ?? root, env: { ...base, ...env } as Record<string, string>, encoding: 'utf8', timeout: 120000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs it on a pseudo-terminal (util-linux `script`), where colour is allowed. */
function onTerminal(args: string[], env: Record<string, string>) {
  const line = [bin, ...args].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  const result = spawnSync('script', ['-qec', line, '/dev/null'], { cwd: root, env: { ...process.env, ...env } as Record<string, string>, encoding: 'utf8', timeout: 120000 });
  return { status: result.status, output: result.stdout };
}

describe('pg2ddb in the shell', () => {
  let pipeline: TestPipeline;
  let env: Record<string, string>;

  beforeAll(async () => {
    pipeline = await TestPipeline.start({ mapping, schemaSql: `CREATE TABLE things (id integer PRIMARY KEY, label text); INSERT INTO things SELECT i, 'thing ' || i FROM generate_series(1, 20) i;`, services: ['transformer', 'writer'] });
    env = { PG2DDB_TOPIC_PREFIX: pipeline.names.prefix };
  }, 180000);

  afterAll(async () => {
    await pipeline?.stop();
  });

  it('is an installable command with --version and --help, also through npx from the repository', () => {
    const direct = pg2ddb(['--version'], {}, { cwd: tmpdir() });
    expect(direct).toMatchObject({ status: 0, stdout: `pg2ddb ${version}\n`, stderr: '' });
    const npx = spawnSync('npx', ['--no-install', 'pg2ddb', '--version'], { cwd: root, encoding: 'utf8', timeout: 120000 });
    expect(npx.status).toBe(0);
    expect(npx.stdout).toBe(`pg2ddb ${version}\n`);
    const help = pg2ddb(['--help']);
    expect(help.status).toBe(0);
    for (const flag of ['--output F', '--brokers LIST', '--dynamo-endpoint URL', '--region R', '--profile P', '--local-stack']) expect(help.stdout).toContain(flag);
    expect(help.stdout).toMatch(/^ {2}completion +print the shell completion script/m);
  }, 120000);

  it('exits 2 naming the argument it could not read, the mapping file included', () => {
    const missing = join(tmpdir(), 'no-such-mapping.yaml');
    for (const args of [['status'], ['dlq', 'list'], ['init'], ['connector', 'status']]) {
      const run = pg2ddb([...args, '--mapping', missing], env);
      expect({ args, status: run.status }).toEqual({ args, status: 2 });
      expect(run.stderr).toContain(`--mapping ${missing}: cannot read the mapping file (no such file)`);
    }
    const badOutput = pg2ddb(['status', '--mapping', pipeline.mappingFile, '--output', 'xml'], env);
    expect(badOutput.status).toBe(2);
    expect(badOutput.stderr).toContain('--output must be one of json, table, text, got "xml"');
    const badInterval = pg2ddb(['status', '--mapping', pipeline.mappingFile, '--interval', 'soon', '--json'], env);
    expect(badInterval.status).toBe(2);
    expect(badInterval.stderr).toContain('--interval must be a number ≥ 0.2, got "soon"');
    // Even the failure is one JSON document on stdout under --json.
    expect(JSON.parse(badInterval.stdout)).toMatchObject({ ok: false, exitCode: 2 });
    expect(pg2ddb(['completion', 'fish']).status).toBe(2);
  }, 180000);

  it('never falls back to the local stack silently: settings come from the environment, flags or --local-stack', () => {
    const bare = pg2ddb(['dlq', 'list', '--mapping', pipeline.mappingFile], {}, { clean: true });
    expect(bare.status).toBe(2);
    expect(bare.stderr).toContain('PG2DDB_KAFKA_BROKERS is required');
    expect(bare.stderr).toContain('(PG2DDB_KAFKA_BROKERS can also be set with --brokers)');
    expect(bare.stderr).toContain('add --local-stack to use them');
    const local = pg2ddb(['dlq', 'list', '--mapping', pipeline.mappingFile, '--local-stack', '--output', 'text'], env, { clean: true });
    expect(local.status).toBe(0);
    expect(local.stderr).toMatch(new RegExp(`^pg2ddb: using Kafka ${process.env.PG2DDB_KAFKA_BROKERS}; settings from environment, local stack .*stack\\.env$`, 'm'));
    const flagged = pg2ddb(['dlq', 'list', '--mapping', pipeline.mappingFile, '--brokers', '127.0.0.1:1'], env);
    expect(flagged.status).toBe(3);
    expect(flagged.stderr).toContain('pg2ddb: using Kafka 127.0.0.1:1; settings from environment, flags (PG2DDB_KAFKA_BROKERS)');
  }, 180000);

  it('streams NDJSON from status --watch --output json and plain key=value lines under --output text', async () => {
    const watch = pg2ddb(['status', '--mapping', pipeline.mappingFile, '--watch', '--interval', '0.5', '--count', '2', '--output', 'json'], env);
    expect(watch.status).toBe(0);
    expect(watch.stderr).toBe('');
    const lines = watch.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const state = JSON.parse(line) as { connector: { state: string }; entities: Array<{ entity: string; rows: number }> };
      expect(state.connector.state).toBe('RUNNING');
      expect(state.entities).toEqual([expect.objectContaining({ entity: 'Thing', rows: 20 })]);
    }
    const text = pg2ddb(['status', '--mapping', pipeline.mappingFile, '--output', 'text'], env);
    expect(text.status).toBe(0);
    const textLines = text.stdout.trimEnd().split('\n');
    for (const line of textLines) expect(line).toMatch(/^at=\S+( [a-z_]+=("[^"]*"|\S*))+$/);
    expect(textLines).toContainEqual(expect.stringMatching(/ entity=Thing source=\S+\.things rows=20 items=\d+ /));
    expect(text.stderr).toMatch(/^pg2ddb: using Kafka Connect \S+ · PostgreSQL \S+ · Kafka \S+ · DynamoDB \S+/);
  }, 180000);

  it('colours only on a terminal without NO_COLOR, and never when piped', () => {
    const args = ['status', '--mapping', pipeline.mappingFile];
    const terminal = onTerminal(args, env);
    expect(terminal.status).toBe(0);
    expect(terminal.output).toContain('\x1b[32mRUNNING\x1b[0m');
    const noColor = onTerminal(args, { ...env, NO_COLOR: '1' });
    expect(noColor.status).toBe(0);
    expect(noColor.output).toContain('RUNNING');
    expect(noColor.output).not.toMatch(/\x1b\[\d+m/);
    const piped = pg2ddb(args, env);
    expect(piped.stdout).toContain(': RUNNING');
    expect(`${piped.stdout}${piped.stderr}`).not.toMatch(/\x1b\[|[\u2705\u274c]/);
  }, 180000);

  it('completes commands, options and values in a real zsh and bash (typed into tmux)', async () => {
    const installed = spawnSync('bash', [join(root, 'infra/scripts/ensure-apt-tools.sh'), 'zsh'], { stdio: 'inherit' });
    expect(installed.status).toBe(0);
    const dir = testTempDir('completion');
    for (const shell of ['zsh', 'bash'] as const) {
      const script = pg2ddb(['completion', shell]);
      expect(script.status).toBe(0);
      writeFileSync(join(dir, `pg2ddb.${shell}`), script.stdout);
    }
    const socket = `pg2ddb-completion-${process.pid}`;
    const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
    const pause = () => new Promise((resolve) => setTimeout(resolve, 1500));
    try {
      tmux('new-session', '-d', '-s', 'zsh', '-x', '160', '-y', '20', 'zsh -f');
      await pause();
      tmux('send-keys', '-t', 'zsh', `autoload -U compinit && compinit -u && source ${join(dir, 'pg2ddb.zsh')}`, 'Enter');
      await pause();
      tmux('send-keys', '-t', 'zsh', 'pg2ddb con', 'Tab');
      await pause();
      tmux('send-keys', '-t', 'zsh', '--', ' --out', 'Tab');
      await pause();
      tmux('send-keys', '-t', 'zsh', ' t', 'Tab');
      await pause();
      const zsh = tmux('capture-pane', '-p', '-t', 'zsh').stdout;
      expect(zsh).toContain('pg2ddb connector --output t');
      expect(zsh).toMatch(/^table +text$/m);

      tmux('new-session', '-d', '-s', 'bash', '-x', '160', '-y', '20', 'bash --norc --noprofile');
      await pause();
      tmux('send-keys', '-t', 'bash', `source ${join(dir, 'pg2ddb.bash')}`, 'Enter');
      await pause();
      tmux('send-keys', '-t', 'bash', 'pg2ddb dlq rep', 'Tab');
      await pause();
      tmux('send-keys', '-t', 'bash', '--', '--sta', 'Tab'); // '--': the keys start with a dash
      await pause();
      tmux('send-keys', '-t', 'bash', 'w', 'Tab');
      await pause();
      expect(tmux('capture-pane', '-p', '-t', 'bash').stdout).toContain('pg2ddb dlq replay --stage writer');
    } finally {
      tmux('kill-server');
    }
  }, 120000);

  it('reports progress of a long command on stderr and keeps stdout one JSON document', () => {
    const dir = testTempDir('shell');
    const copy = join(dir, 'mapping.json');
    writeFileSync(copy, readFileSync(pipeline.mappingFile, 'utf8').replace(pipeline.names.table, `${pipeline.names.table}-init`));
    const human = pg2ddb(['init', '--mapping', copy], env);
    expect(human.status).toBe(0);
    expect(human.stderr).toContain(`ensuring table ${pipeline.names.table}-init (0 GSI(s)) as the mapping declares it`);
    expect(human.stderr).toContain(`ensuring the tombstone table of ${pipeline.names.table}-init`);
    expect(human.stdout).not.toContain('ensuring');
    const json = pg2ddb(['init', '--mapping', copy, '--output', 'json', '--verbose'], env);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ table: `${pipeline.names.table}-init`, created: false, tombstoneTable: `${pipeline.names.table}-init.pg2ddb-tombstones` });
    expect(json.stderr).toContain('ensuring table');
    const quiet = pg2ddb(['connector', 'apply', '--mapping', pipeline.mappingFile, '--quiet'], env);
    expect(quiet.status).toBe(0);
    expect(quiet.stderr).toBe('');
    const apply = pg2ddb(['connector', 'apply', '--mapping', pipeline.mappingFile], env);
    expect(apply.status).toBe(0);
    expect(apply.stderr).toContain(`connector pg2ddb-${pipeline.names.prefix}: ensuring the signal table`);
  }, 180000);
});
