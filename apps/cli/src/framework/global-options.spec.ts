import { flagFor, outputFormat, settingsFromFlags } from './global-options';
import { endpointsLine } from './endpoints-line';
import { terminalStyle } from './terminal-style';

describe('global options', () => {
  it('reads --output, with --json as its alias, and names the flag when the value is wrong', () => {
    expect(outputFormat({})).toBe('table');
    expect(outputFormat({ json: true })).toBe('json');
    expect(outputFormat({ output: 'text' })).toBe('text');
    expect(outputFormat({ output: 'json', json: true })).toBe('json');
    expect(() => outputFormat({ output: 'xml' })).toThrow('--output must be one of json, table, text, got "xml"');
    expect(() => outputFormat({ output: 'table', json: true })).toThrow('--json and --output table contradict each other');
  });

  it('turns connection flags into the variables they override', () => {
    expect(settingsFromFlags({ brokers: 'k1:9092,k2:9092', 'dynamo-endpoint': 'http://127.0.0.1:4566', region: 'eu-west-1', profile: 'ops', 'connect-url': 'http://c:8083' })).toEqual({
      PG2DDB_KAFKA_BROKERS: 'k1:9092,k2:9092',
      PG2DDB_DYNAMO_ENDPOINT: 'http://127.0.0.1:4566',
      AWS_REGION: 'eu-west-1',
      AWS_PROFILE: 'ops',
      PG2DDB_CONNECT_URL: 'http://c:8083',
    });
    expect(() => settingsFromFlags({ region: ' ' })).toThrow('--region needs a value (it sets AWS_REGION)');
    expect(flagFor('PG2DDB_KAFKA_BROKERS')).toBe('--brokers');
    expect(flagFor('PG2DDB_PG_USER')).toBeUndefined();
  });

  it('names the endpoints a command uses and where the settings came from', () => {
    const env = { PG2DDB_PG_USER: 'u', PG2DDB_PG_DATABASE: 'd', PG2DDB_PG_PORT: '5433', PG2DDB_KAFKA_BROKERS: 'k:9092', AWS_REGION: 'eu-west-1', AWS_PROFILE: 'ops' };
    expect(endpointsLine(env, ['postgres', 'kafka', 'connect', 'dynamo'], { fromFlags: ['AWS_PROFILE'] })).toBe(
      'pg2ddb: using PostgreSQL u@127.0.0.1:5433/d · Kafka k:9092 · Kafka Connect http://127.0.0.1:8083 (default) · DynamoDB AWS (region eu-west-1, profile ops); settings from environment, flags (AWS_PROFILE)',
    );
    expect(endpointsLine({}, ['kafka'], { fromFlags: [], stackFile: '/r/.stack/stack.env' })).toBe(
      'pg2ddb: using Kafka (unset: PG2DDB_KAFKA_BROKERS or --brokers); settings from environment, local stack /r/.stack/stack.env',
    );
  });

  it('colours and marks only on a terminal without NO_COLOR', () => {
    expect(terminalStyle(true, {}).paint('RUNNING', 'green')).toBe('\x1b[32mRUNNING\x1b[0m');
    expect(terminalStyle(true, {}).mark(false)).toBe('\u274c ');
    for (const style of [terminalStyle(false, {}), terminalStyle(true, { NO_COLOR: '1' }), terminalStyle(true, { TERM: 'dumb' })]) {
      expect(style.paint('RUNNING', 'green')).toBe('RUNNING');
      expect(style.mark(true)).toBe('');
    }
    // no-color.org: an empty NO_COLOR does not count.
    expect(terminalStyle(true, { NO_COLOR: '' }).colour).toBe(true);
  });
});
