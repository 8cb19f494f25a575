import { Pg2ddbError } from '@pg2ddb/errors';

/**
 * Exit codes every pg2ddb command uses, for CI and scripts (documented in `pg2ddb --help` and
 * docs/runbook.md):
 *   0  OK: nothing to report, or the check passed / the pipeline is ready
 *   1  findings: the check found problems, the pipeline is not ready, or an operation failed
 *   2  usage: unknown command or option, a missing or malformed argument, invalid configuration
 *   3  unreachable: PostgreSQL, Kafka, Kafka Connect or DynamoDB could not be reached
 */
export const ExitCode = { Ok: 0, Findings: 1, Usage: 2, Unreachable: 3 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A mistake in how the command was called: exits 2 with the message and the command's usage. */
export class UsageError extends Pg2ddbError {
  constructor(message: string) {
    super('CLI_USAGE', message);
  }
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN']);

/**
 * True when an error means a dependency could not be reached (as opposed to answering with an
 * error): refused or timed-out connections from pg, kafkajs, fetch and the AWS SDK.
 */
export function isUnreachable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 6; depth++) {
    const e = current as { code?: unknown; name?: unknown; errno?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (e.code === 'CONNECT_UNREACHABLE' || e.code === 'DEPENDENCY_UNREACHABLE') return true;
    if (typeof e.code === 'string' && UNREACHABLE_CODES.has(e.code)) return true;
    if (e.name === 'KafkaJSConnectionError' || e.name === 'KafkaJSNumberOfRetriesExceeded' || e.name === 'KafkaJSNonRetriableError') {
      if (/connect|ECONNREFUSED|timeout/i.test(String(e.message))) return true;
    }
    if (typeof e.message === 'string' && /ECONNREFUSED|connect ETIMEDOUT|getaddrinfo|Connection terminated due to connection timeout|timeout expired/i.test(e.message)) return true;
    if (Array.isArray(e.errors) && e.errors.some((inner) => isUnreachable(inner))) return true;
    current = e.cause;
  }
  return false;
}

/** The exit code for an error that escaped a command. */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof UsageError) return ExitCode.Usage;
  if ((error as { code?: unknown })?.code === 'CONFIG_INVALID') return ExitCode.Usage;
  // refused credentials or an untrusted certificate: the configuration is wrong, not the network
  if ((error as { code?: unknown })?.code === 'CONNECT_UNAUTHORIZED' || (error as { code?: unknown })?.code === 'CONNECT_TLS_FAILED') return ExitCode.Usage;
  if ((error as { code?: unknown })?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || (error as { code?: unknown })?.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return ExitCode.Usage;
  if ((error as { code?: unknown })?.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return ExitCode.Usage;
  if (isUnreachable(error)) return ExitCode.Unreachable;
  return ExitCode.Findings;
}
