import { Pg2ddbError } from '@pg2ddb/errors';
import { ExitCode, exitCodeFor, isUnreachable, UsageError } from './exit-codes';

describe('exit codes', () => {
  it('maps usage, configuration, unreachable dependencies and everything else', () => {
    expect(exitCodeFor(new UsageError('--mapping is required'))).toBe(ExitCode.Usage);
    expect(exitCodeFor(new Pg2ddbError('CONFIG_INVALID', 'bad env'))).toBe(ExitCode.Usage);
    expect(exitCodeFor(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(ExitCode.Unreachable);
    expect(exitCodeFor(new Pg2ddbError('CONNECT_UNREACHABLE', 'Kafka Connect at x is unreachable'))).toBe(ExitCode.Unreachable);
    expect(exitCodeFor(new Error('boom'))).toBe(ExitCode.Findings);
  });

  it('treats refused Connect credentials and an untrusted Connect certificate as configuration errors', () => {
    expect(exitCodeFor(new Pg2ddbError('CONNECT_UNAUTHORIZED', 'Kafka Connect at x refused the credentials'))).toBe(ExitCode.Usage);
    expect(exitCodeFor(new Pg2ddbError('CONNECT_TLS_FAILED', 'Kafka Connect at x: the TLS handshake failed'))).toBe(ExitCode.Usage);
  });

  it('finds an unreachable cause nested in wrapped errors', () => {
    const kafka = Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:1'), { name: 'KafkaJSConnectionError' });
    expect(isUnreachable(new Error('outer', { cause: kafka }))).toBe(true);
    expect(isUnreachable(Object.assign(new Error('all failed'), { errors: [new Error('x'), Object.assign(new Error('y'), { code: 'ETIMEDOUT' })] }))).toBe(true);
    expect(isUnreachable(new Error('relation "x" does not exist'))).toBe(false);
  });
});
